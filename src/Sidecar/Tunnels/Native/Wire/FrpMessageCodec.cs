using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sidecar.Tunnels.Native.Wire;

/// <summary>
/// frp's message framing (golib msg/json): one type byte, the body length as a big-endian int64, then the
/// JSON body. Readers refuse lengths over <see cref="MaxBodyLength"/> as frp's own reader does, so a hostile
/// or confused peer cannot make us allocate more than that per message.
/// </summary>
internal static class FrpMessageCodec
{
    public const int HeaderLength = 9;

    /// <summary>frp's default maximum message length (golib msg/json, 10240).</summary>
    public const int MaxBodyLength = 10240;

    public static byte[] Encode<T>(byte type, T message, JsonTypeInfo<T> typeInfo)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);
        var frame = new byte[HeaderLength + body.Length];
        WriteHeader(frame, type, body.Length);
        body.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    public static void WriteHeader(Span<byte> destination, byte type, int bodyLength)
    {
        destination[0] = type;
        BinaryPrimitives.WriteInt64BigEndian(destination[1..HeaderLength], bodyLength);
    }

    /// <summary>Parses one frame from the start of <paramref name="buffer"/> if it is all there.</summary>
    /// <exception cref="FrpProtocolException">The length is negative or over the limit.</exception>
    public static bool TryParse(ReadOnlySpan<byte> buffer, out byte type, out int bodyLength, out int consumed)
    {
        type = 0;
        bodyLength = 0;
        consumed = 0;
        if (buffer.Length < HeaderLength)
        {
            return false;
        }
        type = buffer[0];
        bodyLength = CheckLength(BinaryPrimitives.ReadInt64BigEndian(buffer[1..HeaderLength]), type);
        if (buffer.Length < HeaderLength + bodyLength)
        {
            return false;
        }
        consumed = HeaderLength + bodyLength;
        return true;
    }

    /// <summary>Reads one frame; null at a clean end of stream between frames.</summary>
    /// <exception cref="FrpProtocolException">Bad length, or the stream ended inside a frame.</exception>
    public static async ValueTask<FrpFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        var got = await stream.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }
        if (got < HeaderLength)
        {
            throw new FrpProtocolException($"the stream ended inside a message header ({got} of {HeaderLength} bytes)");
        }
        var length = CheckLength(BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(1)), header[0]);
        var body = new byte[length];
        try
        {
            await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new FrpProtocolException($"the stream ended inside a {FrpMessageType.Describe(header[0])} message", e);
        }
        return new FrpFrame(header[0], body);
    }

    /// <summary>Decodes a frame that must be of <paramref name="expectedType"/>.</summary>
    /// <exception cref="FrpProtocolException">Another type, or JSON that does not fit.</exception>
    public static T Decode<T>(FrpFrame frame, byte expectedType, JsonTypeInfo<T> typeInfo)
    {
        if (frame.Type != expectedType)
        {
            throw new FrpProtocolException(
                $"expected {FrpMessageType.Describe(expectedType)}, got {FrpMessageType.Describe(frame.Type)}");
        }
        try
        {
            return JsonSerializer.Deserialize(frame.Body.Span, typeInfo)
                ?? throw new FrpProtocolException($"{FrpMessageType.Describe(frame.Type)} has a null body");
        }
        catch (JsonException e)
        {
            throw new FrpProtocolException($"{FrpMessageType.Describe(frame.Type)} body is not valid JSON: {e.Message}", e);
        }
    }

    private static int CheckLength(long length, byte type)
    {
        if (length is < 0 or > MaxBodyLength)
        {
            throw new FrpProtocolException(
                $"{FrpMessageType.Describe(type)} length {length} is outside 0..{MaxBodyLength}: not frp's protocol (wrong port, or TLS settings differ?)");
        }
        return (int)length;
    }
}
