using SocketIoChannels.Broadcasting;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Events;

/// <summary>The <see cref="ISocket"/> handed to handlers: one per session, over the session and the node's
/// fan-out.</summary>
internal sealed class SocketHandle : ISocket
{
    private readonly SocketIoBroadcaster broadcaster;
    private readonly ChannelMembership membership;
    private readonly SocketIoMetrics metrics;

    public SocketHandle(Session session, SocketIoBroadcaster broadcaster, ChannelMembership membership, SocketIoMetrics metrics)
    {
        Session = session;
        this.broadcaster = broadcaster;
        this.membership = membership;
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
        return membership.Subscribe(Session, channel);
    }

    public bool Unsubscribe(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return membership.Unsubscribe(Session, channel);
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
