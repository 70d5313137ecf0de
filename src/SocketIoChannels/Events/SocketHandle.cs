using Newtonsoft.Json.Linq;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Events;

/// <summary>The <see cref="ISocket"/> handed to handlers: one per session, over the session and the node's
/// fan-out. Every send is one <see cref="OutboundMessage"/>, encoded once per protocol however many sessions get it.</summary>
internal sealed class SocketHandle : ISocket
{
    private readonly SocketIoBroadcaster broadcaster;
    private readonly ChannelMembership membership;
    private readonly SocketIoMetrics metrics;
    private JObject? auth;

    public SocketHandle(Session session, SocketIoBroadcaster broadcaster, ChannelMembership membership, SocketIoMetrics metrics)
    {
        Session = session;
        this.broadcaster = broadcaster;
        this.membership = membership;
        this.metrics = metrics;
    }

    public Session Session { get; }

    /// <summary>Set by the dispatcher when OnConnect refused the connection (an exception of
    /// <see cref="SocketIoConnectionRefusedException"/>, or <c>[Authorize]</c> on a Socket.IO 5 socket).</summary>
    public SocketIoConnectionRefusedException? Refusal { get; set; }

    public string SessionId => Session.Id;

    public IReadOnlyList<string> Channels => Session.GetChannels();

    public string Transport => Session.Transport;

    public bool Connected => Session.IsAlive;

    public string Namespace => Session.Namespace;

    public JObject Auth => auth ??= Session.Auth ?? [];

    public void Send(object? message)
    {
        if (Session.Protocol == SessionProtocol.SocketIo06)
        {
            // One recipient that speaks 0.6: its frame only, without the send object a broadcast shares.
            if (Session.TryEnqueue(FrameCodec.EncodeFrame(message)))
            {
                metrics.Delivered(1);
            }

            return;
        }

        SendToSelf(OutboundMessage.ForMessage(message));
    }

    public void Broadcast(object? message) => broadcaster.BroadcastFrom(Session, OutboundMessage.ForMessage(message));

    public void BroadcastChannel(object? message, string? channel = null) =>
        BroadcastChannel(OutboundMessage.ForMessage(message), channel);

    public void SendAndBroadcast(object? message)
    {
        var outbound = OutboundMessage.ForMessage(message);
        SendToSelf(outbound);
        broadcaster.BroadcastFrom(Session, outbound);
    }

    public void SendAndBroadcastChannel(object? message, string? channel = null)
    {
        var outbound = OutboundMessage.ForMessage(message);
        SendToSelf(outbound);
        BroadcastChannel(outbound, channel);
    }

    public void Emit(string eventName, params object?[] args) => SendToSelf(OutboundMessage.ForEvent(eventName, args));

    public void BroadcastEmit(string eventName, params object?[] args) =>
        broadcaster.BroadcastFrom(Session, OutboundMessage.ForEvent(eventName, args));

    public void EmitChannel(string? channel, string eventName, params object?[] args) =>
        BroadcastChannel(OutboundMessage.ForEvent(eventName, args), channel);

    public async Task<JToken[]> EmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        if (Session.Protocol == SessionProtocol.SocketIo06)
        {
            throw new NotSupportedException(
                $"The event \"{eventName}\" cannot be acknowledged: session {SessionId} is a Socket.IO 0.6 client, and 0.6 clients have no acknowledgements. Use Emit.");
        }

        var id = Session.RegisterAck(out var answer);
        try
        {
            if (!Session.TryEnqueue(OutboundMessage.ForEvent(eventName, args, id)))
            {
                throw new OperationCanceledException($"The event \"{eventName}\" was not sent: socket {SessionId} has ended.");
            }

            metrics.Delivered(1);
            return await answer.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(
                $"Socket {SessionId} did not acknowledge the event \"{eventName}\" within {timeout.TotalSeconds:0.###} s.", exception);
        }
        finally
        {
            if (!answer.IsCompleted)
            {
                Session.ForgetAck(id);
            }
        }
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

    /// <summary>Answers the ack a Socket.IO 5 client asked for with <paramref name="ackId"/>.</summary>
    public void SendAck(long ackId, object?[] args) => SendToSelf(OutboundMessage.ForAck(ackId, args));

    private void SendToSelf(OutboundMessage message)
    {
        if (broadcaster.ToOne(Session, message))
        {
            metrics.Delivered(1);
        }
    }

    private void BroadcastChannel(OutboundMessage message, string? channel)
    {
        if (channel is not null)
        {
            broadcaster.BroadcastChannelFrom(Session, message, channel);
            return;
        }

        var channels = Session.GetChannels();
        if (channels.Length > 0)
        {
            broadcaster.BroadcastChannelsFrom(Session, message, channels);
        }
    }

    public override string ToString() => "Socket " + SessionId;
}
