using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Sidecar.Addressing;

/// <summary>
/// Hands out one local address per service name from the configured range. A name's preferred address is
/// derived from a stable hash of the name, probing upwards on collision, so the same set of names gets the
/// same addresses across restarts. Single writer: the reconciler; not thread-safe.
/// </summary>
internal sealed partial class AddressAllocator
{
    private readonly AddressSpace _space;
    private readonly HashSet<UInt128> _excluded = [];
    private readonly Dictionary<string, UInt128> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<UInt128, string> _byOffset = [];
    private readonly UInt128 _usable;
    private readonly ILogger _logger;

    /// <param name="range">The CIDR to allocate from (IPv4 or IPv6).</param>
    /// <param name="reserved">Addresses never handed out, e.g. the DNS listen address; those outside the range are ignored.</param>
    public AddressAllocator(IPNetwork range, IEnumerable<IPAddress> reserved, ILogger<AddressAllocator> logger)
    {
        _space = new AddressSpace(range);
        _logger = logger;
        foreach (var offset in _space.ReservedOffsets())
        {
            _excluded.Add(offset);
        }
        // 127.0.0.1 is the Pod's own loopback address that other processes listen on.
        IEnumerable<IPAddress> always = [IPAddress.Loopback, IPAddress.IPv6Loopback];
        foreach (var address in always.Concat(reserved))
        {
            if (_space.TryGetOffset(address, out var offset))
            {
                _excluded.Add(offset);
            }
        }
        _usable = _space.Size - (UInt128)_excluded.Count;
    }

    public int Count => _byName.Count;

    /// <summary>Returns the name's address, allocating one if it has none. False only when the range is exhausted.</summary>
    public bool TryAllocate(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        if (_byName.TryGetValue(name, out var existing))
        {
            address = _space.ToAddress(existing);
            return true;
        }
        if ((UInt128)_byName.Count >= _usable)
        {
            LogExhausted(name, _space.Range.ToString(), _byName.Count);
            address = null;
            return false;
        }

        // Linear probing from the hashed slot: terminates because at least one usable slot is free.
        var offset = (UInt128)StableHash.Fnv1a64(name) % _space.Size;
        var probes = 0;
        while (_excluded.Contains(offset) || _byOffset.ContainsKey(offset))
        {
            offset = offset + 1 == _space.Size ? 0 : offset + 1;
            probes++;
        }
        _byName.Add(name, offset);
        _byOffset.Add(offset, name);
        address = _space.ToAddress(offset);
        LogAllocated(name, address, probes);
        return true;
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = _byName.TryGetValue(name, out var offset) ? _space.ToAddress(offset) : null;
        return address is not null;
    }

    /// <returns>True when the name held an address.</returns>
    public bool Release(string name)
    {
        if (!_byName.Remove(name, out var offset))
        {
            return false;
        }
        _byOffset.Remove(offset);
        LogReleased(name, _space.ToAddress(offset));
        return true;
    }
}
