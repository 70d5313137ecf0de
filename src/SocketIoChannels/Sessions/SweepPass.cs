namespace SocketIoChannels.Sessions;

/// <summary>One pass of the session sweep over a store's sessions (0.6 heartbeats and expiry, Engine.IO pings and
/// timeouts). With many sessions the pass is cut into at most <see cref="MaxSlices"/> slices (of at least
/// <see cref="MinSlice"/> sessions) and pauses between them, spreading over half a sweep interval: the heartbeats or
/// pings of thousands of sessions that came due in the same tick (they connected together, after a deploy say) then
/// go out, and their answers come back, in a few waves instead of one burst. A burst has a send and a receive buffer
/// in flight for every one of those connections at once, and Kestrel's memory pool keeps what it grew to (figures in
/// docs/performance.md). Many small waves cost CPU instead (the thread pool wakes and spins for each), hence a bounded
/// number of slices.</summary>
internal static class SweepPass
{
    /// <summary>The fewest sessions one slice of a pass handles before it pauses.</summary>
    public const int MinSlice = 128;

    /// <summary>The most slices a pass is cut into.</summary>
    public const int MaxSlices = 16;

    /// <summary>Ticks every session of <paramref name="sessions"/> with the time of its slice.</summary>
    public static async Task RunAsync<TSession>(ICollection<KeyValuePair<string, TSession>> sessions, Action<TSession, long> tick,
        TimeProvider time, TimeSpan sweepInterval, CancellationToken cancellationToken)
    {
        var count = sessions.Count; // a ConcurrentDictionary's Count takes every lock: once per pass
        var sliceSize = Math.Max(MinSlice, count / MaxSlices);
        var slices = count / sliceSize;
        var pause = slices > 1 ? sweepInterval / 2 / slices : TimeSpan.Zero;
        var now = time.GetTimestamp();
        var inSlice = 0;
        foreach (var pair in sessions)
        {
            if (inSlice == sliceSize && pause > TimeSpan.Zero)
            {
                // Before the next slice, never after the last one.
                inSlice = 0;
                await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
                now = time.GetTimestamp();
            }

            tick(pair.Value, now);
            inSlice++;
        }
    }
}
