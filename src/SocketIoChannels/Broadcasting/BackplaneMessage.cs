namespace SocketIoChannels;

/// <summary>
/// One send crossing the backplane: an encoded Socket.IO 0.6 frame (the exact bytes each session's transport
/// writes), who it is for, and the node it came from. Immutable.
/// </summary>
public sealed class BackplaneMessage
{
    private static readonly string[] NoChannels = [];

    private BackplaneMessage(BackplaneTarget target, string originNodeId, string? channel, string? sessionId, string? nodeId,
        IReadOnlyList<string> exceptSubscribersOf, ReadOnlyMemory<byte> frame)
    {
        ArgumentException.ThrowIfNullOrEmpty(originNodeId);
        Target = target;
        OriginNodeId = originNodeId;
        Channel = channel;
        SessionId = sessionId;
        NodeId = nodeId;
        ExceptSubscribersOf = exceptSubscribersOf;
        Frame = frame;
    }

    /// <summary>Who the message is for.</summary>
    public BackplaneTarget Target { get; }

    /// <summary>The node that published it.</summary>
    public string OriginNodeId { get; }

    /// <summary>The channel, for <see cref="BackplaneTarget.Channel"/>; otherwise <see langword="null"/>.</summary>
    public string? Channel { get; }

    /// <summary>The session, for <see cref="BackplaneTarget.Session"/>; otherwise <see langword="null"/>.</summary>
    public string? SessionId { get; }

    /// <summary>The node the session lives on, for <see cref="BackplaneTarget.Session"/>; otherwise
    /// <see langword="null"/>.</summary>
    public string? NodeId { get; }

    /// <summary>For <see cref="BackplaneTarget.Channel"/>: subscribers of any of these channels skip this message.
    /// A send to several channels is published once per channel, each naming the channels before it, so a session
    /// in two of them still gets it once. Empty otherwise.</summary>
    public IReadOnlyList<string> ExceptSubscribersOf { get; }

    /// <summary>The encoded frame (<c>~m~len~m~data</c>), as every recipient's transport writes it.</summary>
    public ReadOnlyMemory<byte> Frame { get; }

    /// <summary>A message for every session of every node.</summary>
    public static BackplaneMessage ToAll(string originNodeId, ReadOnlyMemory<byte> frame) =>
        new(BackplaneTarget.All, originNodeId, null, null, null, NoChannels, frame);

    /// <summary>A message for the subscribers of <paramref name="channel"/>, except those also subscribed to any
    /// of <paramref name="exceptSubscribersOf"/>.</summary>
    public static BackplaneMessage ToChannel(string originNodeId, string channel, ReadOnlyMemory<byte> frame,
        IReadOnlyList<string>? exceptSubscribersOf = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new(BackplaneTarget.Channel, originNodeId, channel, null, null, exceptSubscribersOf ?? NoChannels, frame);
    }

    /// <summary>A message for one session, living on node <paramref name="nodeId"/>.</summary>
    public static BackplaneMessage ToSession(string originNodeId, string sessionId, string nodeId, ReadOnlyMemory<byte> frame)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        return new(BackplaneTarget.Session, originNodeId, null, sessionId, nodeId, NoChannels, frame);
    }

    /// <inheritdoc/>
    public override string ToString() => Target switch
    {
        BackplaneTarget.Channel => $"to channel {Channel} from node {OriginNodeId}",
        BackplaneTarget.Session => $"to session {SessionId} on node {NodeId} from node {OriginNodeId}",
        _ => $"to everyone from node {OriginNodeId}",
    };
}
