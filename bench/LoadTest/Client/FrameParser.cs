using System.Globalization;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>Splits a Socket.IO 0.6 payload (<c>~m~LEN~m~TEXT</c>, several frames allowed) into its frames' texts;
/// stops at the first malformed frame.</summary>
internal static class FrameParser
{
    public static void Parse(string payload, List<string> frames)
    {
        var position = 0;
        while (position + 6 < payload.Length && string.CompareOrdinal(payload, position, "~m~", 0, 3) == 0)
        {
            var digitsEnd = payload.IndexOf('~', position + 3);
            if (digitsEnd < 0 || !int.TryParse(payload.AsSpan(position + 3, digitsEnd - position - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return;
            }

            var start = digitsEnd + 3;
            frames.Add(payload.Substring(start, Math.Min(length, payload.Length - start)));
            position = start + length;
        }
    }
}
