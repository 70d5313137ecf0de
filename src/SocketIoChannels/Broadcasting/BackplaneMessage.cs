namespace SocketIoChannels;

/// <summary>
/// One send crossing the backplane: an encoded Socket.IO 0.6 frame (the exact bytes each session's transport
/// writes), who it is for, and the node it came from; for an event also its Socket.IO 5 form, and for a send to a
/// namespace other than <c>/</c> that namespace. Immutable.
/// </summary>
/// <remarks>A backplane carries <see cref="Namespace"/>, <see cref="EventData"/> and <see cref="Attachments"/> with
/// the rest and rebuilds the message with <see cref="WithNamespace"/> and <see cref="WithEvent"/>. A message without
/// them is a message (not an event) to namespace <c>/</c>, as every message was before Socket.IO 5.</remarks>
public sealed class BackplaneMessage
{
    private static readonly string[] NoChannels = [];
    private static readonly ReadOnlyMemory<byte>[] NoAttachments = [];

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

    /// <summary>The encoded frame (<c>~m~len~m~data</c>), as every 0.6 recipient's transport writes it (empty for an
    /// event to a namespace other than <c>/</c>, see <see cref="EventData"/>).</summary>
    public ReadOnlyMemory<byte> Frame { get; }

    /// <summary>The namespace whose sessions get the message: <c>/</c> (every 0.6 session and the Socket.IO 5
    /// sockets of the default namespace) unless set with <see cref="WithNamespace"/>. For
    /// <see cref="BackplaneTarget.Channel"/>, <see cref="Channels"/> are the channels' keys: the channel name in
    /// <c>/</c>, and <c>namespace + "#" + name</c> in any other namespace, so presence counts keep them apart.</summary>
    /// <remarks>socket.io: the namespace of <c>io.of(name)</c>; django-socketio had none.</remarks>
    public string Namespace { get; private init; } = "/";

    /// <summary>For an event: its Socket.IO 5 payload, the UTF-8 JSON array <c>["name", …args]</c> with each binary
    /// argument replaced by <c>{"_placeholder":true,"num":N}</c> (<see cref="Attachments"/>[N]). Empty for a message,
    /// whose Socket.IO 5 form (the event <c>"message"</c>) is derived from <see cref="Frame"/>.
    /// <see cref="Frame"/> is then the event's 0.6 form, the JSON message <c>{"name":…,"args":[…]}</c>, or empty
    /// when the namespace is not <c>/</c> (no 0.6 session can receive it).</summary>
    /// <remarks>socket.io: the EVENT packet's payload; django-socketio had no events.</remarks>
    public ReadOnlyMemory<byte> EventData { get; private init; }

    /// <summary>The binary arguments of an event, in placeholder order (see <see cref="EventData"/>); empty
    /// otherwise.</summary>
    /// <remarks>socket.io: the attachments of a BINARY_EVENT; django-socketio had no binary.</remarks>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; private init; } = NoAttachments;

    /// <summary>Whether this is an event (<see cref="EventData"/> is set).</summary>
    /// <remarks>socket.io: <c>emit(name, ...args)</c> rather than <c>send(message)</c>.</remarks>
    public bool IsEvent => !EventData.IsEmpty;

    /// <summary>This message, for the sessions of namespace <paramref name="namespace"/> only.</summary>
    /// <remarks>Socket.IO 5 namespaces (<c>io.of("/admin")</c>); django-socketio had none.</remarks>
    public BackplaneMessage WithNamespace(string @namespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return new BackplaneMessage(Target, OriginNodeId, Channels, SessionId, NodeId, ExceptSubscribersOf, Frame)
        {
            Namespace = @namespace,
            EventData = EventData,
            Attachments = Attachments,
        };
    }

    /// <summary>This message as an event: <paramref name="eventData"/> and <paramref name="attachments"/> as
    /// described at <see cref="EventData"/>.</summary>
    /// <remarks>socket.io: <c>io.emit(name, …args)</c> across servers; django-socketio had no events.</remarks>
    public BackplaneMessage WithEvent(ReadOnlyMemory<byte> eventData, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null)
    {
        if (eventData.IsEmpty)
        {
            throw new ArgumentException("An event's data is its JSON array; it cannot be empty.", nameof(eventData));
        }

        return new BackplaneMessage(Target, OriginNodeId, Channels, SessionId, NodeId, ExceptSubscribersOf, Frame)
        {
            Namespace = Namespace,
            EventData = eventData,
            Attachments = attachments is null || attachments.Count == 0 ? NoAttachments : [.. attachments],
        };
    }

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
    public override string ToString() => (IsEvent ? "event " : string.Empty) + Target switch
    {
        BackplaneTarget.Channel => $"to channel {string.Join(", ", Channels)} from node {OriginNodeId}",
        BackplaneTarget.Session => $"to session {SessionId} on node {NodeId} from node {OriginNodeId}",
        _ => $"to everyone from node {OriginNodeId}",
    } + (Namespace == "/" ? string.Empty : " in namespace " + Namespace);
}
