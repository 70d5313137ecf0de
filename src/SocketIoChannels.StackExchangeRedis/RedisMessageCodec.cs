using System.Text;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// The bytes of a <see cref="BackplaneMessage"/> on Redis: a version byte, the target kind, the origin node, the
/// channel or session id, the channels whose subscribers skip it, then the encoded frame as it is (never
/// re-encoded). Strings are UTF-8 with a 7-bit-encoded length.
/// </summary>
internal static class RedisMessageCodec
{
    private const byte Version = 1;

    public static byte[] Encode(BackplaneMessage message)
    {
        var target = message.Target switch
        {
            BackplaneTarget.Channel => message.Channel!,
            BackplaneTarget.Session => message.SessionId!,
            _ => string.Empty,
        };
        var size = 2 + Measure(message.OriginNodeId) + Measure(target) + 5 + message.Frame.Length;
        foreach (var channel in message.ExceptSubscribersOf)
        {
            size += Measure(channel);
        }

        var buffer = new byte[size];
        buffer[0] = Version;
        buffer[1] = (byte)message.Target;
        var position = 2;
        Write(buffer, ref position, message.OriginNodeId);
        Write(buffer, ref position, target);
        WriteLength(buffer, ref position, message.ExceptSubscribersOf.Count);
        foreach (var channel in message.ExceptSubscribersOf)
        {
            Write(buffer, ref position, channel);
        }

        message.Frame.Span.CopyTo(buffer.AsSpan(position));
        position += message.Frame.Length;
        return position == buffer.Length ? buffer : buffer[..position];
    }

    /// <summary>Reads a message; <see langword="null"/> when the bytes are not a message of this version.</summary>
    public static BackplaneMessage? Decode(byte[] data)
    {
        try
        {
            if (data.Length < 2 || data[0] != Version)
            {
                return null;
            }

            var kind = (BackplaneTarget)data[1];
            var position = 2;
            var origin = Read(data, ref position);
            var target = Read(data, ref position);
            var exceptCount = ReadLength(data, ref position);
            string[]? except = exceptCount == 0 ? null : new string[exceptCount];
            for (var i = 0; i < exceptCount; i++)
            {
                except![i] = Read(data, ref position);
            }

            var frame = new ReadOnlyMemory<byte>(data, position, data.Length - position);
            return kind switch
            {
                BackplaneTarget.All => BackplaneMessage.ToAll(origin, frame),
                BackplaneTarget.Channel => BackplaneMessage.ToChannel(origin, target, frame, except),
                BackplaneTarget.Session => BackplaneMessage.ToSession(origin, target, target[..8], frame),
                _ => null,
            };
        }
        catch (Exception exception) when (exception is ArgumentException or IndexOutOfRangeException or FormatException)
        {
            return null;
        }
    }

    private static int Measure(string value) => 5 + Encoding.UTF8.GetByteCount(value);

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

    private static string Read(byte[] data, ref int position)
    {
        var length = ReadLength(data, ref position);
        var value = Encoding.UTF8.GetString(data, position, length);
        position += length;
        return value;
    }

    private static int ReadLength(byte[] data, ref int position)
    {
        var value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = data[position++];
            value |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value >= 0 && value <= data.Length - position ? value : throw new FormatException("Bad length.");
            }
        }

        throw new FormatException("Bad length.");
    }
}
