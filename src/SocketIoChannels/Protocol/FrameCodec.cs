using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>
/// The Socket.IO 0.6 framing (<c>~m~LEN~m~DATA</c>, <c>~j~</c> JSON, <c>~h~N</c> heartbeats) as pure functions.
/// LEN counts UTF-16 code units, as JavaScript's <c>string.length</c>: .NET's <see cref="string.Length"/>.
/// </summary>
internal static class FrameCodec
{
    private const string Marker = "~m~";
    private const string JsonPrefix = "~j~";
    private const string HeartbeatPrefix = "~h~";

    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private static readonly JsonSerializerSettings SerializerSettings = new()
    {
        Formatting = Formatting.None,
        ReferenceLoopHandling = ReferenceLoopHandling.Error,
        MaxDepth = 128,
    };

    /// <summary>The message text of a value: a string as is, anything else as <c>~j~</c> JSON.</summary>
    public static string ToMessageText(object? message) => message switch
    {
        // 0.6 has no escaping: a string that starts like a JSON or heartbeat frame goes as a JSON string instead,
        // which every 0.6 client parses back to the same string. So does a string with a lone surrogate, which
        // UTF-8 cannot carry but a JSON \uXXXX escape can.
        string text when NeedsJson(text) => JsonPrefix + EscapeLoneSurrogates(JsonConvert.ToString(text)),
        JValue { Type: JTokenType.String, Value: string text } when NeedsJson(text) => JsonPrefix + EscapeLoneSurrogates(JsonConvert.ToString(text)),
        string text => text,
        JValue { Type: JTokenType.String } value => (string)value.Value!,
        JToken token => JsonPrefix + EscapeLoneSurrogates(token.ToString(Formatting.None)),
        _ => JsonPrefix + EscapeLoneSurrogates(JsonConvert.SerializeObject(message, SerializerSettings)),
    };

    private static bool NeedsJson(string text) =>
        text.StartsWith(JsonPrefix, StringComparison.Ordinal) || text.StartsWith(HeartbeatPrefix, StringComparison.Ordinal)
        || IndexOfLoneSurrogate(text, 0) >= 0;

    /// <summary>The index of the first surrogate at or after <paramref name="start"/> that is not half of a pair,
    /// or -1.</summary>
    internal static int IndexOfLoneSurrogate(string text, int start)
    {
        var span = text.AsSpan();
        for (var i = start; i < span.Length; i++)
        {
            var next = span[i..].IndexOfAnyInRange('\uD800', '\uDFFF');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    // In serialized JSON a surrogate can only be inside a string literal, where \uXXXX means the same code unit.
    private static string EscapeLoneSurrogates(string json)
    {
        var lone = IndexOfLoneSurrogate(json, 0);
        if (lone < 0)
        {
            return json;
        }

        var builder = new StringBuilder(json.Length + 16);
        var copied = 0;
        while (lone >= 0)
        {
            builder.Append(json, copied, lone - copied);
            AppendUnicodeEscape(builder, json[lone]);
            copied = lone + 1;
            lone = IndexOfLoneSurrogate(json, copied);
        }

        return builder.Append(json, copied, json.Length - copied).ToString();
    }

    /// <summary>Encodes one value as one complete frame in UTF-8.</summary>
    public static byte[] EncodeFrame(object? message) => EncodeText(ToMessageText(message));

    /// <summary>Encodes a message text as one complete frame in UTF-8: <c>~m~LEN~m~TEXT</c>.</summary>
    public static byte[] EncodeText(string text)
    {
        Span<char> digits = stackalloc char[11];
        text.Length.TryFormat(digits, out var digitCount, provider: CultureInfo.InvariantCulture);
        var headerLength = 6 + digitCount;
        var bytes = new byte[headerLength + Utf8.GetByteCount(text)];
        var span = bytes.AsSpan();
        span[0] = (byte)'~';
        span[1] = (byte)'m';
        span[2] = (byte)'~';
        for (var i = 0; i < digitCount; i++)
        {
            span[3 + i] = (byte)digits[i];
        }

        span[3 + digitCount] = (byte)'~';
        span[4 + digitCount] = (byte)'m';
        span[5 + digitCount] = (byte)'~';
        Utf8.GetBytes(text, span[headerLength..]);
        return bytes;
    }

    /// <summary>Encodes a heartbeat frame <c>~m~LEN~m~~h~N</c>.</summary>
    public static byte[] EncodeHeartbeat(long counter) =>
        EncodeText(HeartbeatPrefix + counter.ToString(CultureInfo.InvariantCulture));

    /// <summary>Encodes several values as one payload string (for tests and clients).</summary>
    public static string EncodePayload(IEnumerable<object?> messages)
    {
        var builder = new StringBuilder();
        foreach (var message in messages)
        {
            var text = ToMessageText(message);
            builder.Append(Marker).Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(Marker).Append(text);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Decodes a payload into <paramref name="frames"/>. Returns <see langword="true"/> when the whole payload was
    /// well formed; on a framing error the frames decoded before it are kept and the rest is dropped.
    /// Never throws.
    /// </summary>
    public static bool TryDecode(string payload, List<InboundFrame> frames, out string? error) =>
        Decode(payload, frames, int.MaxValue, out error) == DecodeResult.Ok;

    /// <summary>
    /// Decodes a payload into <paramref name="frames"/>, stopping with <see cref="DecodeResult.TooManyFrames"/> when it
    /// holds more than <paramref name="maxFrames"/> frames (heartbeats included). On an error the frames decoded
    /// before it are kept. Never throws.
    /// </summary>
    public static DecodeResult Decode(string payload, List<InboundFrame> frames, int maxFrames, out string? error) =>
        Decode(payload, frames, maxFrames, textarea: false, out error);

    /// <summary>As <see cref="Decode(string, List{InboundFrame}, int, out string?)"/>; with
    /// <paramref name="textarea"/> (jsonp-polling POSTs, sent from a form's textarea, where the browser turned every
    /// <c>\n</c> into <c>\r\n</c>), a frame holding <c>\r\n</c> is read with each counted as the one <c>\n</c> it
    /// was when that ends on a frame boundary, and as it is otherwise: per frame, so a payload may mix both. The frames decoded
    /// before a malformed one stay in <paramref name="frames"/>.</summary>
    public static DecodeResult Decode(string payload, List<InboundFrame> frames, int maxFrames, bool textarea, out string? error)
    {
        error = null;
        var position = 0;
        var count = 0;
        while (position < payload.Length)
        {
            if (count == maxFrames)
            {
                error = $"a payload may hold at most {maxFrames} frames";
                return DecodeResult.TooManyFrames;
            }

            if (string.CompareOrdinal(payload, position, Marker, 0, 3) != 0)
            {
                error = $"expected ~m~ at {position}";
                return DecodeResult.Malformed;
            }

            position += 3;
            var digitsStart = position;
            long length = 0;
            while (position < payload.Length && payload[position] is >= '0' and <= '9')
            {
                length = (length * 10) + (payload[position] - '0');
                if (length > int.MaxValue)
                {
                    error = $"frame length too large at {digitsStart}";
                    return DecodeResult.Malformed;
                }

                position++;
            }

            if (position == digitsStart)
            {
                error = $"frame length is not a number at {digitsStart}";
                return DecodeResult.Malformed;
            }

            if (string.CompareOrdinal(payload, position, Marker, 0, 3) != 0)
            {
                error = $"expected ~m~ after the frame length at {position}";
                return DecodeResult.Malformed;
            }

            position += 3;
            if (textarea && length <= payload.Length - position && TryTakeTextareaFrame(payload, position, (int)length, out var rewritten, out var rewrittenEnd)
                && rewrittenEnd - position != length)
            {
                frames.Add(Classify(rewritten));
                count++;
                position = rewrittenEnd;
                continue;
            }

            if (length > payload.Length - position)
            {
                error = $"frame length {length} is larger than the {payload.Length - position} characters left";
                return DecodeResult.Malformed;
            }

            var end = position + (int)length;
            // A frame boundary that splits a surrogate pair means the lengths were counted some other way.
            if (end > position && end < payload.Length && char.IsHighSurrogate(payload[end - 1]) && char.IsLowSurrogate(payload[end]))
            {
                error = $"frame length {length} splits a surrogate pair";
                return DecodeResult.Malformed;
            }

            frames.Add(Classify(payload.Substring(position, (int)length)));
            count++;
            position = end;
        }

        return DecodeResult.Ok;
    }

    /// <summary>Reads <paramref name="length"/> characters of a frame from a textarea, each <c>\r\n</c> counting
    /// as one <c>\n</c>; <see langword="false"/> unless the frame then ends on a frame boundary.</summary>
    private static bool TryTakeTextareaFrame(string payload, int start, int length, out string text, out int end)
    {
        var builder = new StringBuilder(length);
        var position = start;
        while (builder.Length < length && position < payload.Length)
        {
            if (payload[position] == '\r' && position + 1 < payload.Length && payload[position + 1] == '\n')
            {
                builder.Append('\n');
                position += 2;
            }
            else
            {
                builder.Append(payload[position++]);
            }
        }

        text = builder.ToString();
        end = position;
        return builder.Length == length && (position == payload.Length || string.CompareOrdinal(payload, position, Marker, 0, 3) == 0);
    }

    private static InboundFrame Classify(string message)
    {
        if (message.StartsWith(JsonPrefix, StringComparison.Ordinal))
        {
            return new InboundFrame(FrameKind.Json, message[3..]);
        }

        if (message.StartsWith(HeartbeatPrefix, StringComparison.Ordinal))
        {
            return new InboundFrame(FrameKind.Heartbeat, message[3..]);
        }

        return new InboundFrame(FrameKind.Text, message);
    }

    /// <summary>Parses the JSON of a <c>~j~</c> frame with bounded nesting. Returns <see langword="null"/> and an
    /// error text when it is not valid JSON.</summary>
    public static JToken? TryParseJson(string json, out string? error)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { MaxDepth = 64, DateParseHandling = DateParseHandling.None };
            var token = JToken.ReadFrom(reader);
            if (reader.Read())
            {
                error = "JSON has trailing content";
                return null;
            }

            error = null;
            return token;
        }
        catch (JsonException exception)
        {
            error = ShortJsonError(exception.Message);
            return null;
        }
    }

    // Newtonsoft's messages end with the path, which repeats the input ("Path '[0][0][0]…'"): keep the reason only.
    private static string ShortJsonError(string message)
    {
        var path = message.IndexOf(" Path '", StringComparison.Ordinal);
        var reason = path > 0 ? message[..path] : message;
        return reason.Length > 80 ? reason[..80] : reason;
    }

    /// <summary>
    /// Writes <paramref name="payload"/> as the body of a JavaScript double-quoted string literal, safe inside a
    /// <c>&lt;script&gt;</c> element: quotes, backslashes and control characters escaped as JSON does, and
    /// <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, U+2028 and U+2029 as <c>\uXXXX</c> (docs/protocol-0.6.md §10 item 9).
    /// </summary>
    public static void AppendScriptString(StringBuilder builder, string payload)
    {
        builder.Append('"');
        for (var i = 0; i < payload.Length; i++)
        {
            var c = payload[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    AppendUnicodeEscape(builder, c);
                    break;
                default:
                    if (c < 0x20)
                    {
                        AppendUnicodeEscape(builder, c);
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < payload.Length && char.IsLowSurrogate(payload[i + 1]))
                    {
                        builder.Append(c).Append(payload[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // A lone surrogate cannot be written as UTF-8; as an escape the client still gets it.
                        AppendUnicodeEscape(builder, c);
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    private static void AppendUnicodeEscape(StringBuilder builder, char c) =>
        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
