using System.Diagnostics;
using System.Globalization;

namespace SocketIoChannels.LoadTest;

/// <summary>The 128-character message of every scenario: a sequence number and the sender's monotonic timestamp
/// (Stopwatch ticks: CLOCK_MONOTONIC on Linux, the same clock in every process), padded with 'x'.</summary>
internal static class Payload
{
    public const int Length = 128;
    private const int SeqDigits = 10;
    private const int TsDigits = 20;

    public static string Create(char kind, long seq, long timestamp) => string.Create(Length, (kind, seq, timestamp), static (span, state) =>
    {
        span.Fill('x');
        span[0] = state.kind;
        state.seq.TryFormat(span.Slice(1, SeqDigits), out _, "D10", CultureInfo.InvariantCulture);
        span[1 + SeqDigits] = ' ';
        state.timestamp.TryFormat(span.Slice(2 + SeqDigits, TsDigits), out _, "D20", CultureInfo.InvariantCulture);
    });

    public static bool TryParse(ReadOnlySpan<char> text, out char kind, out long seq, out long timestamp)
    {
        kind = default;
        seq = timestamp = 0;
        if (text.Length < 2 + SeqDigits + TsDigits)
        {
            return false;
        }

        kind = text[0];
        return long.TryParse(text.Slice(1, SeqDigits), NumberStyles.None, CultureInfo.InvariantCulture, out seq)
            && long.TryParse(text.Slice(2 + SeqDigits, TsDigits), NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
    }

    /// <summary>Milliseconds from <paramref name="timestamp"/> to now.</summary>
    public static double AgeMs(long timestamp) => (Stopwatch.GetTimestamp() - timestamp) * 1000.0 / Stopwatch.Frequency;
}
