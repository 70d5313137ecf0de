using SocketIoChannels.Channels;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// The one place where a session joins or leaves a channel: the session's own list, this node's
/// <see cref="ChannelRegistry{TSubscriber}"/> (through the broadcaster, between two fan-outs), the backplane's
/// interest in the channel and the subscription metrics change together, under the session's channel lock, so no two of them disagree when the steps of one session
/// race (a handler's <c>ISocket.Subscribe</c> against the session's teardown, say). The session loop and the
/// <c>ISocket</c> handed to handlers call only this type; neither sees the registry or the backplane.
/// </summary>
internal sealed class ChannelMembership
{
    private readonly SocketIoBroadcaster broadcaster;
    private readonly BackplaneLink backplane;
    private readonly SocketIoMetrics metrics;

    public ChannelMembership(SocketIoBroadcaster broadcaster, SocketIoMetrics metrics)
    {
        this.broadcaster = broadcaster;
        backplane = broadcaster.Backplane;
        this.metrics = metrics;
    }

    /// <summary>Subscribes a live session from the server side (<c>ISocket.Subscribe</c>). Returns
    /// <see langword="false"/>, and changes nothing, when it already was subscribed or the session has ended: a
    /// handler that kept the socket of an ended session must not leave it in the registry.</summary>
    public bool Subscribe(Session session, string channel) => Join(session, channel, requireAlive: true);

    /// <summary>Subscribes a session to a channel its client asked for, from the session loop. The loop handles
    /// what the client sent before it ended, then tears the session down (<see cref="LeaveAll"/>), so the
    /// subscription is taken even when the session has just ended: its OnSubscribe and OnUnsubscribe stay paired.
    /// Returns <see langword="false"/> when it already was subscribed or has left its channels.</summary>
    public bool SubscribeFromClient(Session session, string channel) => Join(session, channel, requireAlive: false);

    /// <summary>Unsubscribes a session; <see langword="false"/> when it was not subscribed.</summary>
    public bool Unsubscribe(Session session, string channel)
    {
        var channels = session.Channels;
        lock (channels)
        {
            if (!channels.RemoveLocked(channel))
            {
                return false;
            }

            Leave(session, ChannelKeys.For(session.Namespace, channel));
            return true;
        }
    }

    /// <summary>Leaves every channel of an ended session and refuses any later subscription (its teardown).</summary>
    public void LeaveAll(Session session)
    {
        var channels = session.Channels;
        lock (channels)
        {
            foreach (var channel in channels.LeaveLocked())
            {
                Leave(session, ChannelKeys.For(session.Namespace, channel));
            }
        }
    }

    private bool Join(Session session, string channel, bool requireAlive)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var channels = session.Channels;
        lock (channels)
        {
            // Under the lock: a teardown that starts after this check waits for the lock and then leaves the channel.
            if ((requireAlive && !session.IsAlive) || !channels.AddLocked(channel))
            {
                return false;
            }

            var key = ChannelKeys.For(session.Namespace, channel);
            if (broadcaster.AddSubscriber(key, session))
            {
                backplane.ActivateChannel(key);
                metrics.Subscribed();
            }

            return true;
        }
    }

    /// <summary>Leaves a channel by its key (see <see cref="ChannelKeys"/>: channels are per namespace).</summary>
    private void Leave(Session session, string key)
    {
        if (broadcaster.RemoveSubscriber(key, session))
        {
            backplane.DeactivateChannel(key);
            metrics.Unsubscribed();
        }
    }
}
