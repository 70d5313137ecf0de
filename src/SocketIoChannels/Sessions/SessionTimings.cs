namespace SocketIoChannels.Sessions;

/// <summary>The timing, size and input-limit settings of sessions, in <see cref="TimeProvider"/> timestamp ticks.</summary>
internal sealed class SessionTimings
{
    private readonly TimeProvider timeProvider;

    public SessionTimings(TimeProvider timeProvider, int maxQueuedFrames, TimeSpan heartbeatInterval, TimeSpan heartbeatTimeout,
        TimeSpan pollDuration, TimeSpan pollingCloseTimeout, TimeSpan streamingCloseTimeout)
    {
        this.timeProvider = timeProvider;
        MaxQueuedFrames = maxQueuedFrames;
        HeartbeatInterval = ToTicks(heartbeatInterval);
        HeartbeatTimeout = ToTicks(heartbeatTimeout);
        PollDuration = ToTicks(pollDuration);
        PollingCloseTimeout = ToTicks(pollingCloseTimeout);
        StreamingCloseTimeout = ToTicks(streamingCloseTimeout);
        var shortest = new[] { heartbeatInterval, heartbeatTimeout, pollDuration, pollingCloseTimeout }
            .Concat(streamingCloseTimeout > TimeSpan.Zero ? [streamingCloseTimeout] : [])
            .Min();
        SweepInterval = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
    }

    public TimeProvider TimeProvider => timeProvider;

    /// <summary>The limits on what one client may send.</summary>
    public SocketIoChannels.Protocol.InboundLimits Limits { get; init; } = SocketIoChannels.Protocol.InboundLimits.Default;

    public int MaxQueuedFrames { get; }

    /// <summary>How many payloads may wait for the session loop: past it the client's receive loop (or POST) waits.</summary>
    public int MaxInboundPayloads { get; init; } = 64;

    /// <summary>The most payload text, in characters, that may wait for the session loop: past it the client's
    /// receive loop (or POST) waits. One payload larger than this still goes when nothing else waits.</summary>
    public int MaxInboundChars { get; init; } = DefaultMaxInboundChars;

    /// <summary>The default of <see cref="MaxInboundChars"/> (SocketIoOptions.MaxQueuedInboundBytes).</summary>
    public const int DefaultMaxInboundChars = 4 * 1024 * 1024;

    /// <summary>How long a suspended Socket.IO 5 socket stays restorable (connection state recovery); 0 when off.</summary>
    public long RecoveryWindow { get; init; }

    public long HeartbeatInterval { get; }

    public long HeartbeatTimeout { get; }

    public long PollDuration { get; }

    public long PollingCloseTimeout { get; }

    public long StreamingCloseTimeout { get; }

    /// <summary>How often the sweep runs: a quarter of the shortest timing, between 10 ms and 1 s.</summary>
    public TimeSpan SweepInterval { get; }

    public long Now() => timeProvider.GetTimestamp();

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * timeProvider.TimestampFrequency);
}
