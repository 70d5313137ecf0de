using SocketIoChannels.Broadcasting;
using SocketIoChannels.Channels;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Events;

/// <summary>The <see cref="ISocket"/> handed to handlers: one per session, over the session and the node's
/// fan-out.</summary>
internal sealed class SocketHandle : ISocket
{
    private readonly SocketIoBroadcaster broadcaster;
    private readonly ChannelRegistry<Session> registry;
    private readonly SocketIoMetrics metrics;

    public SocketHandle(Session session, SocketIoBroadcaster broadcaster, ChannelRegistry<Session> registry, SocketIoMetrics metrics)
    {
        Session = session;
        this.broadcaster = broadcaster;
        this.registry = registry;
        this.metrics = metrics;
    }

    public Session Session { get; }

    public string SessionId => Session.Id;

    public IReadOnlyList<string> Channels => Session.GetChannels();

    public string Transport => Session.Transport;

    public bool Connected => Session.IsAlive;

    public void Send(object? message) => SendToSelf(FrameCodec.EncodeFrame(message));

    public void Broadcast(object? message)
    {
        broadcaster.BroadcastFrom(Session, FrameCodec.EncodeFrame(message));
    }

    public void BroadcastChannel(object? message, string? channel = null) =>
        BroadcastChannel(FrameCodec.EncodeFrame(message), channel);

    public void SendAndBroadcast(object? message)
    {
        var frame = FrameCodec.EncodeFrame(message);
        SendToSelf(frame);
        broadcaster.BroadcastFrom(Session, frame);
    }

    public void SendAndBroadcastChannel(object? message, string? channel = null)
    {
        var frame = FrameCodec.EncodeFrame(message);
        SendToSelf(frame);
        BroadcastChannel(frame, channel);
    }

    public bool Subscribe(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!Session.AddChannel(channel))
        {
            return false;
        }

        if (broadcaster.AddSubscriber(channel, Session))
        {
            broadcaster.Backplane.ActivateChannel(channel);
            metrics.Subscribed();
        }

        return true;
    }

    public bool Unsubscribe(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!Session.RemoveChannel(channel))
        {
            return false;
        }

        if (broadcaster.RemoveSubscriber(channel, Session))
        {
            broadcaster.Backplane.DeactivateChannel(channel);
            metrics.Unsubscribed();
        }

        return true;
    }

    public void Disconnect() => Session.End(SessionEndReason.Kicked);

    private void SendToSelf(byte[] frame)
    {
        if (Session.TryEnqueue(frame))
        {
            metrics.Delivered(1);
        }
    }

    private void BroadcastChannel(byte[] frame, string? channel)
    {
        if (channel is not null)
        {
            broadcaster.BroadcastChannelFrom(Session, frame, channel);
            return;
        }

        var channels = Session.GetChannels();
        if (channels.Length > 0)
        {
            broadcaster.BroadcastChannelsFrom(Session, frame, channels);
        }
    }

    public override string ToString() => "Socket " + SessionId;
}
