using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sidecar.Discovery.Files;

/// <summary>
/// Converts YAML to UTF-8 JSON, one JSON text per YAML document, so YAML goes through the same source-generated
/// JSON context as the API's answers (no reflection-based YAML deserializer under AOT). Streams YamlDotNet's
/// parser events into a <see cref="Utf8JsonWriter"/>: no node tree, nesting checked before it is entered, and
/// every byte produced (aliases included) counted against <see cref="FileLimits.MaxJsonBytes"/>, so an alias
/// bomb is refused by what it would produce. Scalars are typed by <see cref="YamlScalar"/>.
/// </summary>
internal static class YamlToJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The JSON is read back by our own reader only, never embedded in HTML: no need to escape non-ASCII.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = FileLimits.MaxDepth + 1,
    };

    /// <exception cref="FormatException">Not YAML, nested too deeply, or converting to too much JSON.</exception>
    /// <param name="utf8">The YAML.</param>
    /// <param name="maxJsonBytes">The most JSON all documents may become.</param>
    /// <param name="scalarsAsText">Every scalar but null is a JSON string with its exact text (a token <c>0123</c> stays
    /// <c>"0123"</c>), for readers that only take text, as an object mapper into string fields would.</param>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Convert(ReadOnlyMemory<byte> utf8, int maxJsonBytes = FileLimits.MaxJsonBytes, bool scalarsAsText = false)
    {
        var bytes = MemoryMarshal.TryGetArray(utf8, out var segment) ? segment : new ArraySegment<byte>(utf8.ToArray());
        using var text = new StreamReader(new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var parser = new Parser(text);
        var documents = new List<ReadOnlyMemory<byte>>();
        var budget = maxJsonBytes;
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is DocumentStart)
                {
                    var json = new YamlDocumentWriter(budget, scalarsAsText).Write(parser);
                    budget -= json.Length;
                    documents.Add(json);
                }
            }
        }
        catch (YamlException e)
        {
            throw new FormatException($"YAML error at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
        return documents;
    }

    /// <summary>Writes one document's events, from after DocumentStart to DocumentEnd.</summary>
    private sealed class YamlDocumentWriter(int budget, bool scalarsAsText)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private readonly Stack<Frame> _open = new();
        private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
        private Utf8JsonWriter _json = null!;

        public ReadOnlyMemory<byte> Write(IParser parser)
        {
            using var json = _json = new Utf8JsonWriter(_buffer, WriterOptions);
            while (parser.MoveNext() && parser.Current is not DocumentEnd)
            {
                Accept(parser.Current!);
                if (_buffer.WrittenCount + json.BytesPending > budget)
                {
                    throw new FormatException($"the YAML converts to more than {budget} bytes of JSON (limit {FileLimits.MaxJsonBytes})");
                }
            }
            json.Flush();
            return _buffer.WrittenMemory;
        }

        private void Accept(ParsingEvent e)
        {
            switch (e)
            {
                case Scalar scalar when IsKeyPosition:
                    _json.WritePropertyName(scalar.Value);
                    Remember(scalar.Anchor, new Anchored(scalar, 0, 0));
                    _open.Peek().ExpectKey = false;
                    break;
                case Scalar scalar:
                    var start = Mark();
                    YamlScalar.Write(_json, scalar, scalarsAsText);
                    Remember(scalar.Anchor, new Anchored(scalar, start, Mark()));
                    ValueDone();
                    break;
                case MappingStart or SequenceStart:
                    if (IsKeyPosition)
                    {
                        throw new FormatException($"a non-scalar mapping key at line {e.Start.Line}");
                    }
                    if (_open.Count + 1 > FileLimits.MaxDepth)
                    {
                        throw new FormatException($"mappings and sequences are nested deeper than {FileLimits.MaxDepth} levels at line {e.Start.Line}");
                    }
                    _open.Push(new Frame(e is MappingStart, ((NodeEvent)e).Anchor, Mark()));
                    if (e is MappingStart) _json.WriteStartObject(); else _json.WriteStartArray();
                    break;
                case MappingEnd or SequenceEnd:
                    var frame = _open.Pop();
                    if (frame.IsMapping) _json.WriteEndObject(); else _json.WriteEndArray();
                    Remember(frame.Anchor, new Anchored(null, frame.Start, Mark()));
                    ValueDone();
                    break;
                case AnchorAlias alias:
                    WriteAlias(alias);
                    break;
                default:
                    break; // comments, stream events
            }
        }

        private bool IsKeyPosition => _open.TryPeek(out var top) && top.IsMapping && top.ExpectKey;

        private void WriteAlias(AnchorAlias alias)
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                throw new FormatException($"alias *{alias.Value.Value} at line {alias.Start.Line} refers to no complete anchor before it");
            }
            if (anchored.Scalar is { } scalar)
            {
                Accept(new Scalar(AnchorName.Empty, scalar.Tag, scalar.Value, scalar.Style, scalar.IsPlainImplicit, scalar.IsQuotedImplicit, alias.Start, alias.End));
                return;
            }
            if (IsKeyPosition)
            {
                throw new FormatException($"a non-scalar mapping key at line {alias.Start.Line}");
            }
            var length = anchored.End - anchored.Start;
            if (_buffer.WrittenCount + _json.BytesPending + length > budget)
            {
                throw new FormatException($"aliases expand the YAML to more than {budget} bytes of JSON (alias *{alias.Value.Value} at line {alias.Start.Line})");
            }
            _json.WriteRawValue(_buffer.WrittenSpan[anchored.Start..anchored.End], skipInputValidation: true);
            ValueDone();
        }

        private void ValueDone()
        {
            if (_open.TryPeek(out var top) && top.IsMapping)
            {
                top.ExpectKey = true;
            }
        }

        /// <summary>Where the next value starts in the output; a separating comma belongs to no value.</summary>
        private int Mark()
        {
            _json.Flush();
            return _buffer.WrittenCount;
        }

        private void Remember(AnchorName anchor, Anchored value)
        {
            if (anchor.IsEmpty)
            {
                return;
            }
            var start = value.Start;
            if (value.Scalar is null && start < value.End && _buffer.WrittenSpan[start] == (byte)',')
            {
                start++;
            }
            _anchors[anchor.Value] = value with { Start = start };
        }
    }

    private sealed class Frame(bool isMapping, AnchorName anchor, int start)
    {
        public bool IsMapping => isMapping;
        public AnchorName Anchor => anchor;
        public int Start => start;
        public bool ExpectKey { get; set; } = true;
    }

    /// <summary>An anchored node: a scalar is re-typed where it is used; a collection is copied as JSON.</summary>
    private readonly record struct Anchored(Scalar? Scalar, int Start, int End);
}
