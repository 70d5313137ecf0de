using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>
/// Socket.IO 5 packets as pure functions (docs/protocol-v5.md §2.1):
/// <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;JSON&gt;]</c>.
/// Decoding returns problems as values: the caller ends the Engine.IO session on any of them.
/// </summary>
internal static class SocketIoPacketCodec
{
    /// <summary>The largest ack id: JavaScript's largest exact integer, what every client's counter stays under.</summary>
    public const long MaxAckId = 9_007_199_254_740_991;

    /// <summary>The default namespace.</summary>
    public const string DefaultNamespace = "/";

    // The event names a client may not emit: socket.io reserves them for its own lifecycle.
    private static readonly string[] ReservedEvents =
        ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

    private static readonly JsonLoadSettings LoadSettings = new()
    {
        CommentHandling = CommentHandling.Ignore,
        LineInfoHandling = LineInfoHandling.Ignore,
        DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Replace,
    };

    /// <summary>
    /// Decodes one text packet. <paramref name="maxAttachments"/> bounds the attachment count a binary packet may
    /// announce: a larger count is refused before anything is allocated for it.
    /// </summary>
    /// <returns><see langword="null"/> when the packet is well formed; otherwise what is wrong with it.</returns>
    public static string? TryDecode(string text, int maxAttachments, out SocketIoPacket? packet)
    {
        packet = null;
        if (text.Length == 0)
        {
            return "empty packet";
        }

        var typeDigit = text[0] - '0';
        if (typeDigit is < 0 or > (int)SocketIoPacketType.BinaryAck)
        {
            return "unknown packet type";
        }

        var type = (SocketIoPacketType)typeDigit;
        var i = 1;
        var attachments = 0;
        if (type is SocketIoPacketType.BinaryEvent or SocketIoPacketType.BinaryAck)
        {
            var digits = 0;
            while (i < text.Length && text[i] is >= '0' and <= '9')
            {
                attachments = attachments * 10 + (text[i] - '0');
                if (attachments > maxAttachments)
                {
                    return $"too many attachments (at most {maxAttachments.ToString(CultureInfo.InvariantCulture)})";
                }

                i++;
                digits++;
            }

            if (digits == 0 || i >= text.Length || text[i] != '-')
            {
                return "invalid attachment count";
            }

            i++;
        }

        var nsp = DefaultNamespace;
        if (i < text.Length && text[i] == '/')
        {
            var comma = text.IndexOf(',', i);
            var end = comma < 0 ? text.Length : comma;
            nsp = text[i..end];
            i = comma < 0 ? text.Length : comma + 1;
        }

        long? ackId = null;
        if (i < text.Length && text[i] is >= '0' and <= '9')
        {
            long id = 0;
            while (i < text.Length && text[i] is >= '0' and <= '9')
            {
                id = id * 10 + (text[i] - '0');
                if (id > MaxAckId)
                {
                    return "invalid ack id";
                }

                i++;
            }

            ackId = id;
        }

        JToken? data = null;
        if (i < text.Length)
        {
            var problem = TryParseJson(text, i, out data);
            if (problem is not null)
            {
                return problem;
            }
        }

        var invalid = Validate(type, ackId, data);
        if (invalid is not null)
        {
            return invalid;
        }

        packet = new SocketIoPacket(type, nsp, ackId, attachments, data);
        return null;
    }

    private static string? TryParseJson(string text, int start, out JToken? data)
    {
        data = null;
        try
        {
            using var reader = new JsonTextReader(new StringReader(text[start..]))
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Double,
                MaxDepth = 128,
            };
            data = JToken.ReadFrom(reader, LoadSettings);
            // Anything after the value but a comment makes the reader throw; a comment alone is harmless.
            while (reader.Read())
            {
            }

            if (HasNonFiniteNumber(data))
            {
                // 1e999 parses to Infinity, which no JSON can carry onward (JavaScript would later send it as null).
                data = null;
                return "invalid JSON: a number out of range";
            }

            return null;
        }
        catch (JsonException)
        {
            return "invalid JSON";
        }
    }

    private static bool HasNonFiniteNumber(JToken token) => token switch
    {
        JValue { Type: JTokenType.Float, Value: double d } => !double.IsFinite(d),
        JContainer container => container.Children().Any(HasNonFiniteNumber),
        _ => false,
    };

    private static string? Validate(SocketIoPacketType type, long? ackId, JToken? data) => type switch
    {
        SocketIoPacketType.Connect when data is not (null or JObject) => "CONNECT payload must be an object",
        SocketIoPacketType.Disconnect when data is not null => "DISCONNECT carries no payload",
        SocketIoPacketType.ConnectError when data is not (JObject or JValue { Type: JTokenType.String }) =>
            "CONNECT_ERROR payload must be an object or a string",
        SocketIoPacketType.Event or SocketIoPacketType.BinaryEvent => ValidateEvent(data),
        SocketIoPacketType.Ack or SocketIoPacketType.BinaryAck when data is not JArray => "ACK payload must be an array",
        SocketIoPacketType.Ack or SocketIoPacketType.BinaryAck when ackId is null => "ACK without an id",
        _ => null,
    };

    private static string? ValidateEvent(JToken? data)
    {
        if (data is not JArray { Count: > 0 } array)
        {
            return "EVENT payload must be a non-empty array";
        }

        return array[0] switch
        {
            JValue { Type: JTokenType.String, Value: string name } when Array.IndexOf(ReservedEvents, name) >= 0 =>
                "reserved event name",
            JValue { Type: JTokenType.String or JTokenType.Integer or JTokenType.Float } => null,
            _ => "the event name must be a string",
        };
    }

    /// <summary>The text of a packet. <paramref name="json"/> is the payload already serialized, or <see langword="null"/>.</summary>
    public static string Encode(SocketIoPacketType type, string nsp, long? ackId, string? json, int attachments = 0)
    {
        var builder = new StringBuilder(8 + nsp.Length + (json?.Length ?? 0));
        builder.Append((char)('0' + (int)type));
        if (type is SocketIoPacketType.BinaryEvent or SocketIoPacketType.BinaryAck)
        {
            builder.Append(attachments.ToString(CultureInfo.InvariantCulture)).Append('-');
        }

        if (nsp != DefaultNamespace)
        {
            builder.Append(nsp).Append(',');
        }

        if (ackId is { } id)
        {
            builder.Append(id.ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append(json).ToString();
    }

    /// <summary>The text of a packet whose payload is a JSON token.</summary>
    public static string Encode(SocketIoPacketType type, string nsp, long? ackId, JToken? data, int attachments = 0) =>
        Encode(type, nsp, ackId, data?.ToString(Formatting.None), attachments);
}
