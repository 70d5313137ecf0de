namespace SocketIoChannels;

/// <summary>
/// One send crossing the backplane: an encoded Socket.IO 0.6 frame (the exact bytes each session's transport
/// writes), who it is for, and the node it came from. Immutable.
/// </summary>
public sealed class BackplaneMessage
{
    private static readonly string[] NoChannels = [];

    private BackplaneMessage(BackplaneTarget target, string originNodeId, IReadOnlyList<string> channels, string? sessionId, string? nodeId,
        IReadOnlyList<string> exceptSubscribersOf, ReadOnlyMemory<byte> frame)
    {
        ArgumentException.ThrowIfNullOrEmpty(originNodeId);
        Target = target;
        OriginNodeId = originNodeId;
        Channels = channels;
        Channel = channels.Count > 0 ? channels[0] : null;
        SessionId = sessionId;
        NodeId = nodeId;
        ExceptSubscribersOf = exceptSubscribersOf;
        Frame = frame;
    }

    /// <summary>Who the message is for.</summary>
    public BackplaneTarget Target { get; }

    /// <summary>The node that published it.</summary>
    public string OriginNodeId { get; }

    /// <summary>The (first) channel, for <see cref="BackplaneTarget.Channel"/>; otherwise <see langword="null"/>.</summary>
    public string? Channel { get; }

    /// <summary>For <see cref="BackplaneTarget.Channel"/>: every channel whose subscribers get the message, each
    /// subscriber once however many of them it is in (one or more; <see cref="Channel"/> is the first). Empty
    /// otherwise.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>The session, for <see cref="BackplaneTarget.Session"/>; otherwise <see langword="null"/>.</summary>
    public string? SessionId { get; }

    /// <summary>The node the session lives on, for <see cref="BackplaneTarget.Session"/>; otherwise
    /// <see langword="null"/>.</summary>
    public string? NodeId { get; }

    /// <summary>For <see cref="BackplaneTarget.Channel"/>: subscribers of any of these channels skip this message.
    /// The core no longer publishes such messages (a send to several channels is one
    /// <see cref="ToChannels"/> message), but a backplane must still carry them. Empty otherwise.</summary>
    public IReadOnlyList<string> ExceptSubscribersOf { get; }

    /// <summary>The encoded frame (<c>~m~len~m~data</c>), as every recipient's transport writes it.</summary>
    public ReadOnlyMemory<byte> Frame { get; }

    /// <summary>A message for every session of every node.</summary>
    public static BackplaneMessage ToAll(string originNodeId, ReadOnlyMemory<byte> frame) =>
        new(BackplaneTarget.All, originNodeId, NoChannels, null, null, NoChannels, frame);

    /// <summary>A message for the subscribers of <paramref name="channel"/>, except those also subscribed to any
    /// of <paramref name="exceptSubscribersOf"/>.</summary>
    public static BackplaneMessage ToChannel(string originNodeId, string channel, ReadOnlyMemory<byte> frame,
        IReadOnlyList<string>? exceptSubscribersOf = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new(BackplaneTarget.Channel, originNodeId, [channel], null, null, exceptSubscribersOf ?? NoChannels, frame);
    }

    /// <summary>One message for the subscribers of any of <paramref name="channels"/>: each gets it once, however
    /// many of the channels it is in, whatever it subscribes to while the message travels.</summary>
    public static BackplaneMessage ToChannels(string originNodeId, IReadOnlyList<string> channels, ReadOnlyMemory<byte> frame)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0)
        {
            throw new ArgumentException("At least one channel is needed.", nameof(channels));
        }

        foreach (var channel in channels)
        {
            ArgumentNullException.ThrowIfNull(channel, nameof(channels));
        }

        return new(BackplaneTarget.Channel, originNodeId, [.. channels], null, null, NoChannels, frame);
    }

    /// <summary>A message for one session, living on node <paramref name="nodeId"/>.</summary>
    public static BackplaneMessage ToSession(string originNodeId, string sessionId, string nodeId, ReadOnlyMemory<byte> frame)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        return new(BackplaneTarget.Session, originNodeId, NoChannels, sessionId, nodeId, NoChannels, frame);
    }

    /// <inheritdoc/>
    public override string ToString() => Target switch
    {
        BackplaneTarget.Channel => $"to channel {string.Join(", ", Channels)} from node {OriginNodeId}",
        BackplaneTarget.Session => $"to session {SessionId} on node {NodeId} from node {OriginNodeId}",
        _ => $"to everyone from node {OriginNodeId}",
    };
}
