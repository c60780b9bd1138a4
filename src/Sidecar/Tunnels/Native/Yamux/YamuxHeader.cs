using System.Buffers.Binary;

namespace Sidecar.Tunnels.Native.Yamux;

/// <summary>
/// yamux's 12-byte frame header (hashicorp/yamux spec.md, as used by frp's fork): version 0, type, flags,
/// stream id, length, all big-endian. For Data the length is the payload size; for WindowUpdate the window
/// delta; for Ping the opaque value echoed back; for GoAway the reason code.
/// </summary>
internal readonly record struct YamuxHeader(byte Type, YamuxFlags Flags, uint StreamId, uint Length)
{
    public const int Size = 12;
    public const byte Version = 0;

    public const byte TypeData = 0;
    public const byte TypeWindowUpdate = 1;
    public const byte TypePing = 2;
    public const byte TypeGoAway = 3;

    public const uint GoAwayNormal = 0;
    public const uint GoAwayProtocolError = 1;
    public const uint GoAwayInternalError = 2;

    public void Write(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <exception cref="YamuxProtocolException">Not version 0, or an unknown type.</exception>
    public static YamuxHeader Read(ReadOnlySpan<byte> source)
    {
        if (source[0] != Version)
        {
            throw new YamuxProtocolException($"yamux version {source[0]}, expected {Version}: the peer is not speaking frp's tcpMux");
        }
        var type = source[1];
        if (type > TypeGoAway)
        {
            throw new YamuxProtocolException($"unknown yamux frame type {type}");
        }
        return new YamuxHeader(type, (YamuxFlags)BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
    }
}

[Flags]
internal enum YamuxFlags : ushort
{
    None = 0,
    Syn = 1,
    Ack = 2,
    Fin = 4,
    Rst = 8,
}
