using System.Buffers;
using System.Text;

namespace SocketIoChannels.Transports;

/// <summary>
/// The framing of the hixie-75/76 WebSocket drafts (docs/protocol-0.6.md §3.1, §3.2), as pure functions: a text frame is
/// <c>0x00</c>, UTF-8 text, <c>0xFF</c>; <c>0xFF 0x00</c> closes. Other frame types (the drafts' length-prefixed
/// binary frames) are not used by Socket.IO 0.6 and are refused.
/// </summary>
internal static class HixieCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The close frame.</summary>
    public static ReadOnlySpan<byte> CloseFrame => [0xFF, 0x00];

    /// <summary>The length of the one text frame that carries <paramref name="payloadLength"/> bytes.</summary>
    public static int EncodedLength(int payloadLength) => payloadLength + 2;

    /// <summary>Writes one text frame holding the Socket.IO frames one after the other (0.6 framing lets them go
    /// out together) into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte[]> frames, Span<byte> destination)
    {
        destination[0] = 0x00;
        var offset = 1;
        foreach (var frame in frames)
        {
            frame.CopyTo(destination[offset..]);
            offset += frame.Length;
        }

        destination[offset++] = 0xFF;
        return offset;
    }

    /// <summary>Takes one frame off the front of <paramref name="buffer"/> (which then starts after it).
    /// <paramref name="scanned"/> carries how much of an unfinished text frame was already searched for its end byte
    /// between calls, so no byte is searched twice; start it at 0.</summary>
    public static HixieFrameStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, ref long scanned, long maxMessageSize, out string? text, out string? problem)
    {
        text = null;
        problem = null;
        if (buffer.IsEmpty)
        {
            return HixieFrameStatus.NeedMore;
        }

        var type = buffer.FirstSpan[0];
        if (type == 0x00)
        {
            var end = buffer.Slice(1 + scanned).PositionOf((byte)0xFF);
            if (end is null)
            {
                scanned = buffer.Length - 1;
                if (scanned > maxMessageSize)
                {
                    problem = $"a frame may have at most {maxMessageSize} bytes";
                    return HixieFrameStatus.Invalid;
                }

                return HixieFrameStatus.NeedMore;
            }

            scanned = 0;
            var data = buffer.Slice(1, end.Value);
            if (data.Length > maxMessageSize)
            {
                problem = $"a frame may have at most {maxMessageSize} bytes";
                return HixieFrameStatus.Invalid;
            }

            try
            {
                text = StrictUtf8.GetString(data);
            }
            catch (DecoderFallbackException)
            {
                problem = "a text frame must be valid UTF-8";
                return HixieFrameStatus.Invalid;
            }

            buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
            return HixieFrameStatus.Text;
        }

        if (type == 0xFF)
        {
            if (buffer.Length < 2)
            {
                return HixieFrameStatus.NeedMore;
            }

            if (buffer.Slice(1, 1).FirstSpan[0] == 0x00)
            {
                buffer = buffer.Slice(2);
                return HixieFrameStatus.Close;
            }
        }

        problem = $"frame type 0x{type:X2} is not a text frame (0x00 … 0xFF) or the close frame (0xFF 0x00)";
        return HixieFrameStatus.Invalid;
    }
}
