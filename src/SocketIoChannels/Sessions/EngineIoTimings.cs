namespace SocketIoChannels.Sessions;

/// <summary>The settings of Engine.IO 4 sessions and their Socket.IO 5 sockets (docs/protocol-v5.md §1.2, §1.4,
/// §2.2); times in <see cref="TimeProvider"/> timestamp ticks, as <see cref="SessionTimings"/>.</summary>
internal sealed class EngineIoTimings
{
    public EngineIoTimings(TimeProvider timeProvider, TimeSpan pingInterval, TimeSpan pingTimeout, TimeSpan connectTimeout, int maxPayload, int maxQueuedPackets)
    {
        TimeProvider = timeProvider;
        PingIntervalSpan = pingInterval;
        PingTimeoutSpan = pingTimeout;
        PingInterval = ToTicks(pingInterval);
        PingTimeout = ToTicks(pingTimeout);
        ConnectTimeout = ToTicks(connectTimeout);
        MaxPayload = maxPayload;
        MaxQueuedPackets = maxQueuedPackets;
        var shortest = new[] { pingInterval, pingTimeout, connectTimeout }.Min();
        SweepInterval = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
    }

    public TimeProvider TimeProvider { get; }

    public TimeSpan PingIntervalSpan { get; }

    public TimeSpan PingTimeoutSpan { get; }

    public long PingInterval { get; }

    public long PingTimeout { get; }

    public long ConnectTimeout { get; }

    /// <summary>The largest inbound payload in bytes (<c>maxPayload</c> of the handshake): a POST body, a WebSocket
    /// message, and the binary attachments of one packet together.</summary>
    public int MaxPayload { get; }

    /// <summary>How many packets may wait in a session's queue before it is dropped as a slow consumer.</summary>
    public int MaxQueuedPackets { get; }

    /// <summary>The most binary attachments one packet may announce.</summary>
    public int MaxAttachments { get; init; } = 64;

    /// <summary>How long an upgrading WebSocket may take to send its probe and its upgrade.</summary>
    public TimeSpan UpgradeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The event a Socket.IO 5 client subscribes to a channel with.</summary>
    public string SubscribeEventName { get; init; } = "subscribe";

    /// <summary>The event a Socket.IO 5 client unsubscribes from a channel with.</summary>
    public string UnsubscribeEventName { get; init; } = "unsubscribe";

    /// <summary>How often the sweep must run for these timings: a quarter of the shortest, between 10 ms and 1 s.</summary>
    public TimeSpan SweepInterval { get; }

    public long Now() => TimeProvider.GetTimestamp();

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * TimeProvider.TimestampFrequency);
}
