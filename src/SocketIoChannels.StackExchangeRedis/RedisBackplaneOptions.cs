using StackExchange.Redis;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>Options of the Redis backplane (<c>AddStackExchangeRedis</c>).</summary>
/// <remarks>django-socketio had no backplane: all its state lived in one process.</remarks>
public sealed class RedisBackplaneOptions
{
    /// <summary>How to reach Redis. <c>AbortOnConnectFail</c> is forced to <see langword="false"/> (the app starts
    /// while Redis is down and connects when it comes up) and the backlog policy to fail-fast (a send while Redis is
    /// unreachable fails at once instead of queueing without bound).</summary>
    public ConfigurationOptions Configuration { get; set; } = new();

    /// <summary>Starts every Redis key and pub/sub channel the backplane uses, so several apps (or tests) can share
    /// one Redis. Default <c>socketio:</c>.</summary>
    public string ChannelPrefix { get; set; } = "socketio:";

    /// <summary>Creates the connection instead of <c>ConnectionMultiplexer.ConnectAsync</c>, given the
    /// configuration above (with its forced settings). The backplane disposes the connection when the host
    /// stops.</summary>
    public Func<ConfigurationOptions, Task<IConnectionMultiplexer>>? ConnectionFactory { get; set; }

    /// <summary>How often this node refreshes its presence entries (its subscriber counts per channel) in Redis, and
    /// looks whether its subscription to the bus still carries messages (when nothing arrived since the last look, it
    /// probes, and subscribes again if two probes bring nothing back). Default 10 seconds.</summary>
    public TimeSpan PresenceRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a node's presence entries live without a refresh: after a node dies, its subscribers
    /// drop out of the cluster counts within this time. Default 30 seconds; must exceed
    /// <see cref="PresenceRefreshInterval"/>.</summary>
    public TimeSpan PresenceExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many publishes wait for Redis at once; beyond that a publish fails at once (logged and
    /// counted) instead of queueing. Default 10,000.</summary>
    public int MaxPendingPublishes { get; set; } = 10_000;

    /// <summary>The largest message the backplane carries, in bytes (the encoded frame plus a small header). A
    /// send with a larger message is refused before anything is sent, on this server too, with an
    /// <see cref="ArgumentException"/> naming this limit. It protects every server's Redis subscription: Redis
    /// disconnects a subscriber whose pending output passes its <c>client-output-buffer-limit pubsub</c> (by
    /// default 32 MB at once, or 8 MB for 60 seconds), and every message published until it is back would be lost
    /// there. Keep it well under that limit. Default 4 MB (four times the default
    /// <see cref="SocketIoOptions.MaxMessageSize"/>).</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;
}
