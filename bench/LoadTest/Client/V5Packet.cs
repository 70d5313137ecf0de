using System.Text.Json;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>
/// The few lines of Engine.IO 4 / Socket.IO 5 a load client needs (docs/protocol-v5.md): on a WebSocket every
/// Engine.IO packet is one text message; a polling payload joins packets with U+001E. An Engine.IO message packet
/// (<c>4</c>) carries one Socket.IO packet: <c>0</c> connect, <c>1</c> disconnect, <c>2</c> event (an optional
/// <c>/namespace,</c> and ack id, then a JSON array), <c>4</c> connect error. Binary packets are not used here.
/// </summary>
internal static class V5Packet
{
    public const char RecordSeparator = '\u001e';

    /// <summary>The Socket.IO connect to the main namespace, in an Engine.IO message.</summary>
    public const string Connect = "40";

    public const string Pong = "3";

    private const string MessagePrefix = "42[\"message\",\"";

    /// <summary><c>42["name","text"]</c>: an event with one string argument.</summary>
    public static string Event(string name, string text) => "42" + JsonSerializer.Serialize(new[] { name, text });

    public static V5Kind Decode(string packet, out string? value)
    {
        value = null;
        if (packet.Length == 0)
        {
            return V5Kind.None;
        }

        switch (packet[0])
        {
            case '0':
                using (var open = JsonDocument.Parse(packet.AsMemory(1)))
                {
                    value = open.RootElement.GetProperty("sid").GetString();
                }

                return V5Kind.Open;
            case '1':
                return V5Kind.Closed;
            case '2':
                return V5Kind.Ping;
            case '4' when packet.Length > 1:
                return DecodeSocketIo(packet, out value);
            default:
                return V5Kind.None;
        }
    }

    private static V5Kind DecodeSocketIo(string packet, out string? value)
    {
        value = null;
        switch (packet[1])
        {
            case '0':
                return V5Kind.Connected;
            case '1':
                return V5Kind.Closed;
            case '4':
                value = packet[2..];
                return V5Kind.ConnectError;
            case '2':
                // The common case, decoded without a JSON parser: 42["message","<text without escapes>"].
                if (packet.StartsWith(MessagePrefix, StringComparison.Ordinal) && packet.EndsWith("\"]", StringComparison.Ordinal)
                    && packet.IndexOf('\\', MessagePrefix.Length) < 0)
                {
                    value = packet.Substring(MessagePrefix.Length, packet.Length - MessagePrefix.Length - 2);
                    return V5Kind.Message;
                }

                var array = packet.IndexOf('[', 2);
                if (array < 0)
                {
                    return V5Kind.None;
                }

                using (var json = JsonDocument.Parse(packet.AsMemory(array)))
                {
                    var root = json.RootElement;
                    if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() >= 2 && root[0].ValueEquals("message")
                        && root[1].ValueKind == JsonValueKind.String)
                    {
                        value = root[1].GetString();
                        return V5Kind.Message;
                    }
                }

                return V5Kind.None;
            default:
                return V5Kind.None;
        }
    }
}
