using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sidecar.Addressing;

/// <summary>A CIDR seen as offsets 0..Size-1 from its base address; IPv4 and IPv6 alike, using 128-bit arithmetic.</summary>
internal sealed class AddressSpace
{
    private readonly UInt128 _base;
    private readonly bool _isV4;
    private readonly int _hostBits;

    public AddressSpace(IPNetwork range)
    {
        Range = range;
        _isV4 = range.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        _hostBits = (_isV4 ? 32 : 128) - range.PrefixLength;
        _base = ToNumber(range.BaseAddress);
        // A /0 IPv6 range has 2^128 addresses: one short of that is plenty and keeps Size representable.
        Size = _hostBits >= 128 ? UInt128.MaxValue : UInt128.One << _hostBits;
    }

    public IPNetwork Range { get; }

    public UInt128 Size { get; }

    /// <summary>Offsets no host may use: the network and broadcast addresses.</summary>
    public IEnumerable<UInt128> ReservedOffsets()
    {
        if (_isV4 && _hostBits >= 2)
        {
            // RFC 950/RFC 919: all-zeros and all-ones host parts; /31 and /32 have none (RFC 3021).
            yield return UInt128.Zero;
            yield return Size - 1;
        }
        else if (!_isV4 && _hostBits >= 2)
        {
            // RFC 4291 §2.6.1: the all-zeros host part is the Subnet-Router anycast address.
            yield return UInt128.Zero;
        }
    }

    public bool TryGetOffset(IPAddress address, out UInt128 offset)
    {
        if (address.IsIPv4MappedToIPv6 && _isV4)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != Range.BaseAddress.AddressFamily || !Range.Contains(address))
        {
            offset = default;
            return false;
        }
        offset = ToNumber(address) - _base;
        return true;
    }

    public IPAddress ToAddress(UInt128 offset)
    {
        var value = _base + offset;
        if (_isV4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)value);
            return new IPAddress(v4);
        }
        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
