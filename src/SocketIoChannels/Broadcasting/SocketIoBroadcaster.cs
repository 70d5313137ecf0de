using SocketIoChannels.Channels;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// The one entry point for every send, from handlers and from the app: it encodes the frame once, hands the same
/// bytes to each local recipient's bounded queue with a non-blocking write (a full queue drops that recipient,
/// never the broadcast) and, with a backplane, publishes the same frame once for the other nodes.
/// </summary>
/// <remarks>
/// Ordering: each fan-out (local enqueue loop and backplane hand-off together) runs under one lock, so any two
/// broadcasts, from any threads and to any targets, reach all their common recipients in the same relative order,
/// on this node and, since publishes leave in the same order, on every other node. The lock is held only for
/// non-blocking queue writes; nothing under it waits for a client or for I/O.
/// </remarks>
internal sealed partial class SocketIoBroadcaster : ISocketIoBroadcaster
{
    private readonly object order = new();
    private readonly SessionStore sessions;
    private readonly ChannelRegistry<Session> channels;
    private readonly SocketIoMetrics metrics;

    public SocketIoBroadcaster(SessionStore sessions, ChannelRegistry<Session> channels, BackplaneLink backplane, SocketIoMetrics metrics)
    {
        this.sessions = sessions;
        this.channels = channels;
        Backplane = backplane;
        this.metrics = metrics;
    }

    public BackplaneLink Backplane { get; }

    public int SessionCount => sessions.Count;

    public int CountSubscribers(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channels.Count(channel);
    }

    public int Broadcast(object? message)
    {
        var frame = FrameCodec.EncodeFrame(message);
        var remote = Backplane.Enabled ? Checked(BackplaneMessage.ToAll(Backplane.NodeId, frame)) : null;
        return Answer(Deliver(frame, null, null, null, remote), remote, NoClients);
    }

    public int BroadcastChannel(object? message, string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var frame = FrameCodec.EncodeFrame(message);
        var remote = Backplane.Enabled ? Checked(BackplaneMessage.ToChannel(Backplane.NodeId, channel, frame)) : null;
        return Answer(Deliver(frame, channel, null, null, remote), remote, NoClientsOn(channel));
    }

    public void Send(string sessionId, object? message)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var session = sessions.Find(sessionId);
        if (session is null && RemoteNodeOf(sessionId) is { } node)
        {
            var remote = BackplaneMessage.ToSession(Backplane.NodeId, sessionId, node, FrameCodec.EncodeFrame(message));
            Backplane.Validate(remote);
            Backplane.Publish(remote);
            Answer(0, remote, NoSession(sessionId));
            return;
        }

        if (session is null)
        {
            throw new NoSocketException(NoSession(sessionId));
        }

        if (!session.TryEnqueue(FrameCodec.EncodeFrame(message)))
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

    /// <summary>A handler's broadcast: every live session but <paramref name="sender"/>, here and on the other
    /// nodes.</summary>
    public int BroadcastFrom(Session sender, byte[] frame)
    {
        var remote = Backplane.Enabled ? Checked(BackplaneMessage.ToAll(Backplane.NodeId, frame)) : null;
        return Deliver(frame, null, null, sender, remote);
    }

    /// <summary>A handler's broadcast to one channel (<paramref name="sender"/> excluded), here and on the other
    /// nodes.</summary>
    public int BroadcastChannelFrom(Session sender, byte[] frame, string channel)
    {
        var remote = Backplane.Enabled ? Checked(BackplaneMessage.ToChannel(Backplane.NodeId, channel, frame)) : null;
        return Deliver(frame, channel, null, sender, remote);
    }

    /// <summary>A handler's broadcast to its session's channels: each subscriber of any of them once
    /// (<paramref name="sender"/> excluded), here and on the other nodes, as one backplane message.</summary>
    public int BroadcastChannelsFrom(Session sender, byte[] frame, IReadOnlyList<string> channelNames)
    {
        var remote = !Backplane.Enabled ? null
            : Checked(channelNames.Count == 1 ? BackplaneMessage.ToChannel(Backplane.NodeId, channelNames[0], frame)
                : BackplaneMessage.ToChannels(Backplane.NodeId, channelNames, frame));
        return Deliver(frame, null, channelNames, sender, remote);
    }

    /// <summary>The backplane copy of a send, validated (size) before anything is sent.</summary>
    private BackplaneMessage Checked(BackplaneMessage message)
    {
        Backplane.Validate(message);
        return message;
    }

    /// <summary>Local delivery and the uncounted backplane hand-off of one send, in this node's order.</summary>
    private int Deliver(byte[] frame, string? channel, IReadOnlyList<string>? channelNames, Session? except, BackplaneMessage? remote) =>
        Deliver(frame, channel, channelNames, except, remote, counted: false, CancellationToken.None, out _);

    /// <summary>Local delivery, then the backplane hand-off (counted or not), under the order lock: the local
    /// queues and the backplane see every send in the same order.</summary>
    private int Deliver(byte[] frame, string? channel, IReadOnlyList<string>? channelNames, Session? except, BackplaneMessage? remote,
        bool counted, CancellationToken cancellationToken, out Task<long>? count)
    {
        int delivered;
        count = null;
        lock (order)
        {
            delivered = channelNames is { Count: > 1 } ? LocalToChannels(frame, channelNames, except, null)
                : channelNames is { Count: 1 } ? LocalToChannel(frame, channelNames[0], except)
                : channel is not null ? LocalToChannel(frame, channel, except)
                : LocalToAll(frame, except);
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

    private int LocalToAll(byte[] frame, Session? except)
    {
        var delivered = 0;
        foreach (var session in sessions.All)
        {
            if (!ReferenceEquals(session, except) && session.TryEnqueue(frame))
            {
                delivered++;
            }
        }

        return delivered;
    }

    private int LocalToChannel(byte[] frame, string channel, Session? except)
    {
        var delivered = 0;
        foreach (var session in channels.GetSubscribers(channel))
        {
            if (!ReferenceEquals(session, except) && session.TryEnqueue(frame))
            {
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>Each subscriber of any of <paramref name="channelNames"/> once, but <paramref name="except"/> and
    /// the subscribers of any of <paramref name="skipSubscribersOf"/>.</summary>
    private int LocalToChannels(byte[] frame, IReadOnlyList<string> channelNames, Session? except, IReadOnlyList<string>? skipSubscribersOf)
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
                if (!ReferenceEquals(session, except) && seen.Add(session) && session.TryEnqueue(frame))
                {
                    delivered++;
                }
            }
        }

        return delivered;
    }
}
