namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// What a node announces on the bus each time it writes its presence to Redis: its session count and its local
/// subscriber count per changed channel (every channel when <see cref="Full"/>), or that it is gone. Other nodes
/// keep these in their <see cref="RedisPresenceView"/> to answer the synchronous sends without any I/O.
/// </summary>
internal sealed class PresenceUpdate(string nodeId, bool full, bool gone, int sessions, IReadOnlyList<KeyValuePair<string, int>> channels)
{
    public string NodeId { get; } = nodeId;

    /// <summary>The entries replace everything known of the node (otherwise they change only those channels).</summary>
    public bool Full { get; } = full;

    /// <summary>The node stopped cleanly: forget it.</summary>
    public bool Gone { get; } = gone;

    /// <summary>The node's session count; -1 when unchanged (a heartbeat).</summary>
    public int Sessions { get; } = sessions;

    /// <summary>Channel → local subscriber count on that node (0: none any more).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Channels { get; } = channels;

    /// <summary>A heartbeat: the node is alive, nothing changed. The refresh loop announces one each interval, and
    /// the bus publishes one as its probe (RedisBus).</summary>
    public static PresenceUpdate Heartbeat(string nodeId) => new(nodeId, false, false, -1, []);
}
