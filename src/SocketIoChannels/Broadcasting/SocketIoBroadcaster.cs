using SocketIoChannels.Channels;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// The one entry point for every send, from handlers and from the app: it encodes each send once per protocol in
/// use (an <see cref="OutboundMessage"/>), hands the same bytes to each local recipient's bounded queue with a
/// non-blocking write (a full queue drops that recipient, never the broadcast) and, with a backplane, publishes the
/// send once for the other nodes. Every target is within one namespace (<c>/</c> for the app's sends without one):
/// channels are per namespace (see <see cref="ChannelKeys"/>).
/// </summary>
/// <remarks>
/// Ordering: each fan-out (local enqueue loop and backplane hand-off together) runs under one lock, so any two
/// broadcasts, from any threads and to any targets, reach all their common recipients in the same relative order,
/// on this node and, since publishes leave in the same order, on every other node. The lock is held only for
/// non-blocking queue writes; nothing under it waits for a client or for I/O.
/// </remarks>
internal sealed partial class SocketIoBroadcaster
{
    private readonly object order = new();
    private readonly SessionStore sessions;
    private readonly ChannelRegistry<Session> channels;
    private readonly SocketIoMetrics metrics;

    public SocketIoBroadcaster(SessionStore sessions, ChannelRegistry<Session> channels, BackplaneLink backplane, SocketIoMetrics metrics,
        RecoveryRecord recovery)
    {
        Recovery = recovery;
        this.sessions = sessions;
        this.channels = channels;
        Backplane = backplane;
        this.metrics = metrics;
    }

    public BackplaneLink Backplane { get; }

    /// <summary>Connection state recovery: the record of recent sends and the suspended sockets.</summary>
    public RecoveryRecord Recovery { get; }

    /// <summary>A send to every session of namespace <paramref name="nsp"/>, here and on the other nodes.</summary>
    public int ToAll(string nsp, OutboundMessage message)
    {
        var remote = Backplane.Enabled ? Checked(Remote(BackplaneMessage.ToAll(Backplane.NodeId, Frame(nsp, message)), nsp, message)) : null;
        return Answer(Deliver(message, nsp, null, null, null, remote), remote, NoClients);
    }

    /// <summary>A send to the subscribers of <paramref name="channel"/> in namespace <paramref name="nsp"/>.</summary>
    public int ToChannel(string nsp, string channel, OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var key = ChannelKeys.For(nsp, channel);
        var remote = Backplane.Enabled ? Checked(Remote(BackplaneMessage.ToChannel(Backplane.NodeId, key, Frame(nsp, message)), nsp, message)) : null;
        return Answer(Deliver(message, nsp, key, null, null, remote), remote, NoClientsOn(channel));
    }

    /// <summary>A send to one session (of any namespace: its id names it), here or on its node.</summary>
    public void ToSession(string sessionId, OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var session = sessions.Find(sessionId);
        if (session is null && RemoteNodeOf(sessionId) is { } node)
        {
            var remote = Checked(Remote(BackplaneMessage.ToSession(Backplane.NodeId, sessionId, node, Frame(ChannelKeys.DefaultNamespace, message)),
                ChannelKeys.DefaultNamespace, message));
            Backplane.Publish(remote);
            Answer(0, remote, NoSession(sessionId));
            return;
        }

        if (session is null)
        {
            throw new NoSocketException(NoSession(sessionId));
        }

        if (!ToOne(session, message))
        {
            throw new NoSocketException("The socket with the session ID " + sessionId + " has ended"
                + (session.EndReason == SessionEndReason.SlowConsumer ? " as a slow consumer: its queue was full." : "."));
        }

        metrics.Delivered(1);
    }

    /// <summary>Adds a subscriber between two fan-outs, never during one: a broadcast to several channels sees
    /// each session's channels as one state, so it reaches the session exactly once while it moves between
    /// them. <see langword="false"/> when it was already there.</summary>
    public bool AddSubscriber(string channel, Session session)
    {
        lock (order)
        {
            return channels.Add(channel, session);
        }
    }

    /// <summary>Removes a subscriber between two fan-outs; <see langword="false"/> when it was not there.</summary>
    public bool RemoveSubscriber(string channel, Session session)
    {
        lock (order)
        {
            return channels.Remove(channel, session);
        }
    }

    /// <summary>A handler's broadcast: every live session of the sender's namespace but <paramref name="sender"/>,
    /// here and on the other nodes.</summary>
    public int BroadcastFrom(Session sender, OutboundMessage message)
    {
        var nsp = sender.Namespace;
        var remote = Backplane.Enabled ? Checked(Remote(BackplaneMessage.ToAll(Backplane.NodeId, Frame(nsp, message)), nsp, message)) : null;
        return Deliver(message, nsp, null, null, sender, remote);
    }

    /// <summary>A handler's broadcast to one channel of its namespace (<paramref name="sender"/> excluded), here and
    /// on the other nodes.</summary>
    public int BroadcastChannelFrom(Session sender, OutboundMessage message, string channel)
    {
        var nsp = sender.Namespace;
        var key = ChannelKeys.For(nsp, channel);
        var remote = Backplane.Enabled ? Checked(Remote(BackplaneMessage.ToChannel(Backplane.NodeId, key, Frame(nsp, message)), nsp, message)) : null;
        return Deliver(message, nsp, key, null, sender, remote);
    }

    /// <summary>A handler's broadcast to its session's channels: each subscriber of any of them once
    /// (<paramref name="sender"/> excluded), here and on the other nodes, as one backplane message.</summary>
    public int BroadcastChannelsFrom(Session sender, OutboundMessage message, IReadOnlyList<string> channelNames)
    {
        var nsp = sender.Namespace;
        var keys = ChannelKeys.IsDefault(nsp) ? channelNames : channelNames.Select(channel => ChannelKeys.For(nsp, channel)).ToArray();
        var remote = !Backplane.Enabled ? null
            : Checked(Remote(keys.Count == 1 ? BackplaneMessage.ToChannel(Backplane.NodeId, keys[0], Frame(nsp, message))
                : BackplaneMessage.ToChannels(Backplane.NodeId, keys, Frame(nsp, message)), nsp, message));
        return Deliver(message, nsp, null, keys, sender, remote);
    }

    /// <summary>The 0.6 frame a backplane message carries: none for an event outside <c>/</c>, where no 0.6 session
    /// lives (a message's Socket.IO 5 form is derived from its frame, so a message always has one).</summary>
    private static ReadOnlyMemory<byte> Frame(string nsp, OutboundMessage message) =>
        message.IsEvent && !ChannelKeys.IsDefault(nsp) ? ReadOnlyMemory<byte>.Empty : message.Frame06;

    /// <summary>Adds the namespace and the event form to a backplane message.</summary>
    private static BackplaneMessage Remote(BackplaneMessage remote, string nsp, OutboundMessage message)
    {
        if (!ChannelKeys.IsDefault(nsp))
        {
            remote = remote.WithNamespace(nsp);
        }

        if (message.IsEvent)
        {
            var (json, attachments) = message.BodyV5;
            remote = remote.WithEvent(System.Text.Encoding.UTF8.GetBytes(json), attachments.Select(bytes => (ReadOnlyMemory<byte>)bytes).ToArray());
        }

        return remote;
    }

    /// <summary>The backplane copy of a send, validated (size) before anything is sent.</summary>
    private BackplaneMessage Checked(BackplaneMessage message)
    {
        Backplane.Validate(message);
        return message;
    }

    /// <summary>Local delivery and the uncounted backplane hand-off of one send, in this node's order.</summary>
    private int Deliver(OutboundMessage message, string nsp, string? channel, IReadOnlyList<string>? channelNames, Session? except, BackplaneMessage? remote) =>
        Deliver(message, nsp, channel, channelNames, except, remote, counted: false, CancellationToken.None, out _);

    /// <summary>Local delivery, then the backplane hand-off (counted or not), under the order lock: the local
    /// queues and the backplane see every send in the same order.</summary>
    private int Deliver(OutboundMessage message, string nsp, string? channel, IReadOnlyList<string>? channelNames, Session? except, BackplaneMessage? remote,
        bool counted, CancellationToken cancellationToken, out Task<long>? count)
    {
        int delivered;
        count = null;
        lock (order)
        {
            message = Recovery.Record(message, new RecoveryRecord.Target(nsp, channelNames is { Count: 1 } ? channelNames[0] : channel,
                channelNames is { Count: > 1 } ? channelNames : null, Except: except));
            delivered = channelNames is { Count: > 1 } ? LocalToChannels(message, nsp, channelNames, except, null)
                : channelNames is { Count: 1 } ? LocalToChannel(message, nsp, channelNames[0], except)
                : channel is not null ? LocalToChannel(message, nsp, channel, except)
                : LocalToAll(message, nsp, except);
            if (remote is not null)
            {
                if (counted)
                {
                    count = Backplane.PublishAsync(remote, cancellationToken);
                }
                else
                {
                    Backplane.Publish(remote);
                }
            }
        }

        metrics.Delivered(delivered);
        return delivered;
    }

    /// <summary>What a synchronous send returns without waiting: the local count when there is one; otherwise the
    /// number of other servers the backplane's presence says have a recipient; otherwise
    /// <see cref="NoSocketException"/>.</summary>
    private int Answer(int delivered, BackplaneMessage? remote, string noOne)
    {
        if (delivered > 0)
        {
            return delivered;
        }

        if (remote is null)
        {
            throw new NoSocketException(noOne);
        }

        if (!Backplane.IsConnected)
        {
            throw new NoSocketException(noOne + Unreachable);
        }

        var known = Backplane.CountKnownRecipientNodes(remote);
        return known > 0 ? known : throw new NoSocketException(noOne);
    }

    private int LocalToAll(OutboundMessage message, string nsp, Session? except)
    {
        var delivered = 0;
        foreach (var session in sessions.All)
        {
            if (!ReferenceEquals(session, except) && InNamespace(session, nsp) && session.TryEnqueue(message))
            {
                delivered++;
            }
        }

        return delivered;
    }

    private int LocalToChannel(OutboundMessage message, string nsp, string key, Session? except)
    {
        var delivered = 0;
        foreach (var session in channels.GetSubscribers(key))
        {
            if (!ReferenceEquals(session, except) && InNamespace(session, nsp) && session.TryEnqueue(message))
            {
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>Each subscriber of any of <paramref name="channelNames"/> once, but <paramref name="except"/> and
    /// the subscribers of any of <paramref name="skipSubscribersOf"/>.</summary>
    private int LocalToChannels(OutboundMessage message, string nsp, IReadOnlyList<string> channelNames, Session? except, IReadOnlyList<string>? skipSubscribersOf)
    {
        var seen = new HashSet<Session>(ReferenceEqualityComparer.Instance);
        if (skipSubscribersOf is not null)
        {
            foreach (var other in skipSubscribersOf)
            {
                seen.UnionWith(channels.GetSubscribers(other));
            }
        }

        var delivered = 0;
        foreach (var channel in channelNames)
        {
            foreach (var session in channels.GetSubscribers(channel))
            {
                if (!ReferenceEquals(session, except) && seen.Add(session) && InNamespace(session, nsp) && session.TryEnqueue(message))
                {
                    delivered++;
                }
            }
        }

        return delivered;
    }

    private static bool InNamespace(Session session, string nsp) =>
        ReferenceEquals(session.Namespace, nsp) || string.Equals(session.Namespace, nsp, StringComparison.Ordinal);
}
