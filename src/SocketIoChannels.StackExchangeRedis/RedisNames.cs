using StackExchange.Redis;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>The Redis names one node uses, all under the configured prefix: the bus channel every node listens
/// on, the set of node ids, and each node's presence hash (field <c>s</c>: its session count; <c>c:{channel}</c>:
/// its subscriber count of that channel).</summary>
internal sealed class RedisNames(string prefix, string nodeId)
{
    public const string SessionsField = "s";

    public string NodeId { get; } = nodeId;

    public RedisChannel Bus { get; } = RedisChannel.Literal(prefix + "bus");

    public RedisKey Nodes { get; } = prefix + "nodes";

    public string PresencePrefix { get; } = prefix + "presence:";

    public RedisKey Presence { get; } = prefix + "presence:" + nodeId;

    public static string ChannelField(string channel) => "c:" + channel;
}
