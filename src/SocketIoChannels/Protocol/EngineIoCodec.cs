using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace SocketIoChannels.Protocol;

/// <summary>
/// Engine.IO 4 packets and polling payloads as pure functions (docs/protocol-v5.md §1.3). A text packet is its type
/// digit followed by its data. A polling payload joins packets with the record separator U+001E; a binary message
/// inside it is <c>b</c> followed by the base64 of its bytes (the type, always message, is implied). On a WebSocket
/// every packet is one message, and a binary frame is a binary message with no prefix.
/// </summary>
internal static class EngineIoCodec
{
    /// <summary>The separator between the packets of a polling payload.</summary>
    public const char RecordSeparator = '\u001e';

    /// <summary>The prefix of a base64 binary message inside a polling payload.</summary>
    public const char BinaryPrefix = 'b';

    /// <summary>
    /// A packet in the form an Engine.IO session's outbound queue holds: a text packet as the UTF-8 of its text form
    /// (the first byte is its type digit), a binary message as <see cref="BinaryPrefix"/> followed by its raw bytes.
    /// A polling payload writes the rest of a binary one as base64, a WebSocket as a binary frame.
    /// </summary>
    public static byte[] QueuedText(EngineIoPacketType type, string? data = null)
    {
        var text = EncodeText(type, data);
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>A binary message in queue form (see <see cref="QueuedText"/>).</summary>
    public static byte[] QueuedBinary(ReadOnlySpan<byte> bytes)
    {
        var queued = new byte[bytes.Length + 1];
        queued[0] = (byte)BinaryPrefix;
        bytes.CopyTo(queued.AsSpan(1));
        return queued;
    }

    /// <summary>Whether a queued packet (see <see cref="QueuedText"/>) is a binary message.</summary>
    public static bool IsQueuedBinary(byte[] queued) => queued.Length > 0 && queued[0] == (byte)BinaryPrefix;

    /// <summary>The text form of a packet: its type digit and its data.</summary>
    public static string EncodeText(EngineIoPacketType type, string? data = null) =>
        data is null or { Length: 0 } ? TypeChar(type).ToString() : string.Concat(TypeChar(type).ToString(), data);

    private static char TypeChar(EngineIoPacketType type) => (char)('0' + (int)type);

    /// <summary>
    /// Decodes one text packet (a WebSocket text message, or one record of a polling payload that is not binary).
    /// Returns <see langword="false"/> when the first character is not a known packet type.
    /// </summary>
    public static bool TryDecodeText(string text, out EngineIoPacket packet)
    {
        packet = default;
        if (text.Length == 0)
        {
            return false;
        }

        var digit = text[0] - '0';
        if (digit is < 0 or > (int)EngineIoPacketType.Noop)
        {
            return false;
        }

        packet = EngineIoPacket.FromText((EngineIoPacketType)digit, text.Length == 1 ? string.Empty : text[1..]);
        return true;
    }

    /// <summary>
    /// Decodes a polling payload (a POST body) into <paramref name="into"/>. Nothing is added unless the whole payload
    /// is well formed: every record non-empty, of a known type, valid base64 after <c>b</c>, and at most
    /// <paramref name="maxPackets"/> records.
    /// </summary>
    public static DecodeResult DecodePayload(string payload, int maxPackets, List<EngineIoPacket> into)
    {
        if (payload.Length == 0)
        {
            return DecodeResult.Malformed;
        }

        var start = into.Count;
        var position = 0;
        var count = 0;
        while (true)
        {
            var end = payload.IndexOf(RecordSeparator, position);
            var length = (end < 0 ? payload.Length : end) - position;
            if (++count > maxPackets)
            {
                into.RemoveRange(start, into.Count - start);
                return DecodeResult.TooManyFrames;
            }

            if (!TryDecodeRecord(payload.AsSpan(position, length), out var packet))
            {
                into.RemoveRange(start, into.Count - start);
                return DecodeResult.Malformed;
            }

            into.Add(packet);
            if (end < 0)
            {
                return DecodeResult.Ok;
            }

            position = end + 1;
        }
    }

    private static bool TryDecodeRecord(ReadOnlySpan<char> record, out EngineIoPacket packet)
    {
        packet = default;
        if (record.Length == 0)
        {
            return false;
        }

        if (record[0] == BinaryPrefix)
        {
            var base64 = record[1..];
            var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
            if (!Convert.TryFromBase64Chars(base64, bytes, out var written))
            {
                return false;
            }

            packet = EngineIoPacket.FromBinary(written == bytes.Length ? bytes : bytes[..written]);
            return true;
        }

        return TryDecodeText(record.ToString(), out packet);
    }

    /// <summary>Appends one packet to a polling payload being built, with the separator when it is not the first.</summary>
    public static void AppendToPayload(StringBuilder payload, in EngineIoPacket packet)
    {
        if (payload.Length > 0)
        {
            payload.Append(RecordSeparator);
        }

        if (packet.Binary is { } bytes)
        {
            payload.Append(BinaryPrefix).Append(Convert.ToBase64String(bytes));
        }
        else
        {
            payload.Append(TypeChar(packet.Type)).Append(packet.Text);
        }
    }

    /// <summary>The polling payload of <paramref name="packets"/>.</summary>
    public static string EncodePayload(IEnumerable<EngineIoPacket> packets)
    {
        var builder = new StringBuilder();
        foreach (var packet in packets)
        {
            AppendToPayload(builder, packet);
        }

        return builder.ToString();
    }
}
