using System.Text;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// The bytes of a bus message on Redis: a version byte, the kind, the origin node, then for a
/// <see cref="BackplaneMessage"/> its channels (and the channels whose subscribers skip it) or session id and the
/// encoded frame as it is (never re-encoded), or for a <see cref="PresenceUpdate"/> its flags, session count and
/// channel counts. Strings are UTF-8 with a 7-bit-encoded length.
/// <para>Version 3 (only for a message to a namespace other than <c>/</c> or an event; anything else stays version 2,
/// byte for byte): after the session id or channels, the namespace, the event data (length and bytes, length 0 for
/// a message), the attachment count and each attachment (length and bytes), then the frame as the rest.</para>
/// </summary>
internal static class RedisMessageCodec
{
    private const byte Version = 2;
    private const byte VersionWithNamespaceOrEvent = 3;
    private const byte PresenceKind = 3;

    /// <summary>The encoded size of <paramref name="message"/>, without encoding it.</summary>
    public static long Measure(BackplaneMessage message)
    {
        long size = 2 + Measure(message.OriginNodeId) + 10 + message.Frame.Length;
        if (HasExtension(message))
        {
            size += Measure(message.Namespace) + 5 + message.EventData.Length + 5;
            foreach (var attachment in message.Attachments)
            {
                size += 5 + attachment.Length;
            }
        }

        size += message.Target == BackplaneTarget.Session ? Measure(message.SessionId!) : 0;
        foreach (var channel in message.Channels)
        {
            size += Measure(channel);
        }

        foreach (var channel in message.ExceptSubscribersOf)
        {
            size += Measure(channel);
        }

        return size;
    }

    public static byte[] Encode(BackplaneMessage message)
    {
        var buffer = new byte[Measure(message)];
        var extended = HasExtension(message);
        buffer[0] = extended ? VersionWithNamespaceOrEvent : Version;
        buffer[1] = (byte)message.Target;
        var position = 2;
        Write(buffer, ref position, message.OriginNodeId);
        switch (message.Target)
        {
            case BackplaneTarget.Channel:
                WriteList(buffer, ref position, message.Channels);
                WriteList(buffer, ref position, message.ExceptSubscribersOf);
                break;
            case BackplaneTarget.Session:
                Write(buffer, ref position, message.SessionId!);
                break;
        }

        if (extended)
        {
            Write(buffer, ref position, message.Namespace);
            WriteBytes(buffer, ref position, message.EventData.Span);
            WriteLength(buffer, ref position, message.Attachments.Count);
            foreach (var attachment in message.Attachments)
            {
                WriteBytes(buffer, ref position, attachment.Span);
            }
        }

        message.Frame.Span.CopyTo(buffer.AsSpan(position));
        position += message.Frame.Length;
        return position == buffer.Length ? buffer : buffer[..position];
    }

    public static byte[] Encode(PresenceUpdate update)
    {
        var size = 2 + Measure(update.NodeId) + 10;
        foreach (var (channel, _) in update.Channels)
        {
            size += Measure(channel) + 5;
        }

        var buffer = new byte[size];
        buffer[0] = Version;
        buffer[1] = PresenceKind;
        var position = 2;
        Write(buffer, ref position, update.NodeId);
        buffer[position++] = (byte)((update.Full ? 1 : 0) | (update.Gone ? 2 : 0));
        WriteLength(buffer, ref position, update.Sessions + 1); // 0: unchanged (a heartbeat)
        WriteLength(buffer, ref position, update.Channels.Count);
        foreach (var (channel, count) in update.Channels)
        {
            Write(buffer, ref position, channel);
            WriteLength(buffer, ref position, count);
        }

        return position == buffer.Length ? buffer : buffer[..position];
    }

    /// <summary>Reads a <see cref="BackplaneMessage"/> or a <see cref="PresenceUpdate"/>; <see langword="null"/>
    /// when the bytes are not a message of this version.</summary>
    public static object? Decode(byte[] data)
    {
        try
        {
            if (data.Length < 2 || data[0] is not (Version or VersionWithNamespaceOrEvent))
            {
                return null;
            }

            var extended = data[0] == VersionWithNamespaceOrEvent;
            var kind = data[1];
            var position = 2;
            var origin = Read(data, ref position);
            switch (kind)
            {
                case (byte)BackplaneTarget.All:
                    return Extend(BackplaneMessage.ToAll(origin, Rest(data, Extension(data, ref position, extended, out var all))), all);
                case (byte)BackplaneTarget.Channel:
                    var channels = ReadList(data, ref position);
                    var except = ReadList(data, ref position);
                    var frameStart = Extension(data, ref position, extended, out var toChannels);
                    return Extend(channels.Length == 1
                        ? BackplaneMessage.ToChannel(origin, channels[0], Rest(data, frameStart), except.Length == 0 ? null : except)
                        : BackplaneMessage.ToChannels(origin, channels, Rest(data, frameStart)), toChannels);
                case (byte)BackplaneTarget.Session:
                    var session = Read(data, ref position);
                    var start = Extension(data, ref position, extended, out var toSession);
                    return Extend(BackplaneMessage.ToSession(origin, session, session[..8], Rest(data, start)), toSession);
                case PresenceKind:
                    var flags = data[position++];
                    var sessions = ReadNumber(data, ref position) - 1;
                    var count = ReadNumber(data, ref position);
                    var entries = new KeyValuePair<string, int>[Math.Min(count, data.Length)];
                    for (var i = 0; i < entries.Length; i++)
                    {
                        var channel = Read(data, ref position);
                        entries[i] = new(channel, ReadNumber(data, ref position));
                    }

                    return new PresenceUpdate(origin, (flags & 1) != 0, (flags & 2) != 0, sessions, entries);
                default:
                    return null;
            }
        }
        catch (Exception exception) when (exception is ArgumentException or IndexOutOfRangeException or FormatException)
        {
            return null;
        }
    }

    private static ReadOnlyMemory<byte> Rest(byte[] data, int position) => new(data, position, data.Length - position);

    private static bool HasExtension(BackplaneMessage message) => message.Namespace != "/" || message.IsEvent;

    /// <summary>Reads the version 3 fields (none in version 2); returns where the frame starts.</summary>
    private static int Extension(byte[] data, ref int position, bool extended, out (string Namespace, ReadOnlyMemory<byte> EventData, ReadOnlyMemory<byte>[] Attachments)? extension)
    {
        extension = null;
        if (!extended)
        {
            return position;
        }

        var nsp = Read(data, ref position);
        var eventData = ReadBytes(data, ref position);
        var count = ReadLength(data, ref position);
        var attachments = new ReadOnlyMemory<byte>[count]; // at most the bytes left: ReadLength checked it
        for (var i = 0; i < count; i++)
        {
            attachments[i] = ReadBytes(data, ref position);
        }

        extension = (nsp, eventData, attachments);
        return position;
    }

    private static BackplaneMessage Extend(BackplaneMessage message, (string Namespace, ReadOnlyMemory<byte> EventData, ReadOnlyMemory<byte>[] Attachments)? extension)
    {
        if (extension is not { } fields)
        {
            return message;
        }

        if (fields.Namespace != "/")
        {
            message = message.WithNamespace(fields.Namespace);
        }

        return fields.EventData.IsEmpty ? message : message.WithEvent(fields.EventData, fields.Attachments);
    }

    private static void WriteBytes(byte[] buffer, ref int position, ReadOnlySpan<byte> bytes)
    {
        WriteLength(buffer, ref position, bytes.Length);
        bytes.CopyTo(buffer.AsSpan(position));
        position += bytes.Length;
    }

    private static ReadOnlyMemory<byte> ReadBytes(byte[] data, ref int position)
    {
        var length = ReadLength(data, ref position);
        var bytes = new ReadOnlyMemory<byte>(data, position, length);
        position += length;
        return bytes;
    }

    private static int Measure(string value) => 5 + Encoding.UTF8.GetByteCount(value);

    private static void WriteList(byte[] buffer, ref int position, IReadOnlyList<string> values)
    {
        WriteLength(buffer, ref position, values.Count);
        foreach (var value in values)
        {
            Write(buffer, ref position, value);
        }
    }

    private static void Write(byte[] buffer, ref int position, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteLength(buffer, ref position, length);
        position += Encoding.UTF8.GetBytes(value, buffer.AsSpan(position));
    }

    private static void WriteLength(byte[] buffer, ref int position, int value)
    {
        var remaining = (uint)value;
        while (remaining >= 0x80)
        {
            buffer[position++] = (byte)(remaining | 0x80);
            remaining >>= 7;
        }

        buffer[position++] = (byte)remaining;
    }

    private static string[] ReadList(byte[] data, ref int position)
    {
        var count = ReadLength(data, ref position);
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Read(data, ref position);
        }

        return values;
    }

    private static string Read(byte[] data, ref int position)
    {
        var length = ReadLength(data, ref position);
        var value = Encoding.UTF8.GetString(data, position, length);
        position += length;
        return value;
    }

    /// <summary>A length: at most what is left of the data.</summary>
    private static int ReadLength(byte[] data, ref int position)
    {
        var value = ReadNumber(data, ref position);
        return value <= data.Length - position ? value : throw new FormatException("Bad length.");
    }

    private static int ReadNumber(byte[] data, ref int position)
    {
        var value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = data[position++];
            value |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value >= 0 ? value : throw new FormatException("Bad number.");
            }
        }

        throw new FormatException("Bad number.");
    }
}
