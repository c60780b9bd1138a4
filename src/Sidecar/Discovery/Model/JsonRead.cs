using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Sidecar.Discovery.Model;

/// <summary>
/// Value readers for the hand-written converters, with the context's leniency: strings also from numbers
/// and booleans, numbers also from strings. Wrong types throw <see cref="JsonException"/>, which the
/// tolerant list turns into a skipped item.
/// </summary>
internal static class JsonRead
{
    public static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => null,
        _ => throw new JsonException($"expected a string, found {reader.TokenType}"),
    };

    /// <summary>
    /// Throws what <see cref="String"/> would throw, without making the string: for a walk that only needs to know the
    /// value would decode (<see cref="UsedFieldsDigest"/>). GetString refuses invalid UTF-8 and a lone surrogate escape
    /// with <see cref="InvalidOperationException"/> (the reader itself does not check either); CopyString, into stack
    /// memory, refuses the same.
    /// </summary>
    public static void CheckString(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when reader.HasValueSequence:
                throw new JsonException("a string split across buffers"); // not decided here: the decode reads it
            case JsonTokenType.String when !reader.ValueIsEscaped:
                if (!Utf8.IsValid(reader.ValueSpan))
                {
                    throw new InvalidOperationException("a string that is not UTF-8");
                }
                return;
            case JsonTokenType.String:
                CheckEscaped(ref reader);
                return;
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                return;
            default:
                throw new JsonException($"expected a string, found {reader.TokenType}");
        }
    }

    /// <summary>Unescaped, a string has at most as many chars as its escaped bytes; a long one (rare) gets an array.</summary>
    private static void CheckEscaped(ref Utf8JsonReader reader)
    {
        const int StackChars = 256;
        var chars = reader.ValueSpan.Length <= StackChars ? stackalloc char[StackChars] : new char[reader.ValueSpan.Length];
        reader.CopyString(chars);
    }

    public static long? Int64(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var value):
                return value;
            case JsonTokenType.String when !reader.HasValueSequence && !reader.ValueIsEscaped
                && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var used) && used == reader.ValueSpan.Length:
                return parsed;
            default:
                throw new JsonException($"expected an integer, found {reader.TokenType}");
        }
    }

    public static int? Int32(ref Utf8JsonReader reader) => Int64(ref reader) switch
    {
        null => null,
        var v and >= int.MinValue and <= int.MaxValue => (int)v,
        var v => throw new JsonException($"{v} is out of range"),
    };

    public static List<string>? Strings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        Expect(ref reader, JsonTokenType.StartArray);
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(String(ref reader) ?? "");
        }
        return list;
    }

    public static bool? Boolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new JsonException($"expected true or false, found {reader.TokenType}"),
    };

    /// <summary>
    /// Moves to the next property of the object being read: <paramref name="name"/> is left on its name (compare
    /// with <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>, no string made) and the reader on its
    /// value. False at the end of the object.
    /// </summary>
    public static bool NextProperty(ref Utf8JsonReader reader, out Utf8JsonReader name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            name = default;
            return false;
        }
        name = reader;
        reader.Read();
        return true;
    }

    /// <summary>An error in a property's value, prefixed with the property, so the warning says which field is wrong.</summary>
    public static JsonException InField(Utf8JsonReader name, JsonException inner) => new($"{name.GetString()}: {inner.Message}", inner);

    /// <summary>
    /// Reads a document that is exactly one value with <paramref name="read"/>, as the serializer would: anything
    /// after the value is an error, and what the reader cannot decode (<see cref="InvalidOperationException"/>)
    /// comes out as <see cref="JsonException"/>. Null for a JSON null.
    /// </summary>
    public static T? Whole<T>(ReadOnlySpan<byte> json, ItemReader<T> read, JsonReaderOptions options = default)
    {
        var reader = new Utf8JsonReader(json, options);
        try
        {
            reader.Read();
            var value = read(ref reader);
            return reader.Read() ? throw new JsonException($"data after the value, at byte {reader.TokenStartIndex}") : value;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType}");
        }
    }
}
