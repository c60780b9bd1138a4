using System.Net;
using System.Net.Sockets;
using Sidecar.Dns.Wire;

namespace Sidecar.Dns.Serving;

/// <summary>
/// The immutable answer table: every name variant (the mapped name and the name under each search domain)
/// precomputed in lower-case wire form, in an open-addressing hash table. Built once per publish and swapped
/// in whole; a lookup neither locks nor allocates.
/// </summary>
internal sealed class NameTable
{
    private readonly NameTableEntry[] _entries;
    private readonly int[] _slots;
    private readonly int _mask;

    public static NameTable Empty { get; } = Build([], [], TimeSpan.Zero, 0);

    private NameTable(NameTableEntry[] entries, int[] slots, uint ttlSeconds, uint serial)
    {
        _entries = entries;
        _slots = slots;
        _mask = slots.Length - 1;
        TtlSeconds = ttlSeconds;
        Serial = serial;
    }

    /// <summary>The TTL of answers and of the negative-caching SOA.</summary>
    public uint TtlSeconds { get; }

    /// <summary>Changes with every publish, so the SOA serial tells answers from different tables apart.</summary>
    public uint Serial { get; }

    /// <summary>Distinct names answered, variants included.</summary>
    public int Count => _entries.Length;

    /// <summary>
    /// Builds a table. Exact mapped names win over search-domain variants that spell the same name; names
    /// that cannot be DNS names are skipped (the caller validated them already).
    /// </summary>
    public static NameTable Build(IReadOnlyCollection<DnsMapping> mappings, IReadOnlyList<string> searchDomains, TimeSpan ttl, uint serial)
    {
        var entries = new List<NameTableEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Span<byte> buffer = stackalloc byte[DnsLimits.MaxNameLength];
        foreach (var mapping in mappings)
        {
            Add(mapping.Name, mapping.Address, entries, seen, buffer);
        }
        foreach (var mapping in mappings)
        {
            foreach (var domain in searchDomains)
            {
                Add($"{mapping.Name.TrimEnd('.')}.{domain.Trim('.')}", mapping.Address, entries, seen, buffer);
            }
        }

        var slotCount = 8;
        while (slotCount < entries.Count * 2)
        {
            slotCount *= 2;
        }
        var slots = new int[slotCount];
        Array.Fill(slots, -1);
        for (var i = 0; i < entries.Count; i++)
        {
            var slot = entries[i].Hash & (slotCount - 1);
            while (slots[slot] >= 0)
            {
                slot = (slot + 1) & (slotCount - 1);
            }
            slots[slot] = i;
        }
        var ttlSeconds = (uint)Math.Clamp(ttl.TotalSeconds, 0, int.MaxValue);
        return new NameTable([.. entries], slots, ttlSeconds, serial);
    }

    /// <summary>Finds a name given in lower-case wire form.</summary>
    public bool TryLookup(ReadOnlySpan<byte> lowerCaseWireName, out NameTableEntry entry)
    {
        var hash = Hash(lowerCaseWireName);
        var slot = hash & _mask;
        // At most half the slots are used, so an empty slot ends every probe sequence.
        while (true)
        {
            var index = _slots[slot];
            if (index < 0)
            {
                entry = default;
                return false;
            }
            var candidate = _entries[index];
            if (candidate.Hash == hash && lowerCaseWireName.SequenceEqual(candidate.Name))
            {
                entry = candidate;
                return true;
            }
            slot = (slot + 1) & _mask;
        }
    }

    private static void Add(string name, IPAddress address, List<NameTableEntry> entries, HashSet<string> seen, Span<byte> buffer)
    {
        if (!DnsName.TryEncode(name, buffer, out var length) || !seen.Add(DnsName.Format(buffer[..length])))
        {
            return;
        }
        var key = buffer[..length].ToArray();
        var bytes = address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6
            ? address.MapToIPv4().GetAddressBytes()
            : address.GetAddressBytes();
        entries.Add(new NameTableEntry(key, bytes, Hash(key)));
    }

    /// <summary>FNV-1a: cheap, good enough for a table whose keys we choose; the probe limit is the load factor.</summary>
    private static int Hash(ReadOnlySpan<byte> name)
    {
        var hash = 2166136261u;
        foreach (var b in name)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash & int.MaxValue);
    }
}
