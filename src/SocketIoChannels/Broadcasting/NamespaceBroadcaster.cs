using SocketIoChannels.Protocol;

namespace SocketIoChannels.Broadcasting;

/// <summary>The <see cref="ISocketIoBroadcaster"/> of one namespace, over the node's one
/// <see cref="SocketIoBroadcaster"/> (socket.io's <c>io.of(name)</c>).</summary>
internal sealed class NamespaceBroadcaster : ISocketIoBroadcaster
{
    private readonly SocketIoBroadcaster core;

    public NamespaceBroadcaster(SocketIoBroadcaster core, string @namespace)
    {
        this.core = core;
        Namespace = @namespace;
    }

    public string Namespace { get; }

    public int SessionCount => ChannelKeys.IsDefault(Namespace) ? core.SessionCountAll : core.CountSessionsIn(Namespace);

    public ISocketIoBroadcaster Of(string name) => core.Of(name);

    public int Broadcast(object? message) => core.ToAll(Namespace, OutboundMessage.ForMessage(message));

    public int BroadcastChannel(object? message, string channel) => core.ToChannel(Namespace, channel, OutboundMessage.ForMessage(message));

    public void Send(string sessionId, object? message) => core.ToSession(sessionId, OutboundMessage.ForMessage(message));

    public Task<int> BroadcastAsync(object? message, CancellationToken cancellationToken = default) =>
        core.ToAllAsync(Namespace, OutboundMessage.ForMessage(message), cancellationToken);

    public Task<int> BroadcastChannelAsync(object? message, string channel, CancellationToken cancellationToken = default) =>
        core.ToChannelAsync(Namespace, channel, OutboundMessage.ForMessage(message), cancellationToken);

    public Task SendAsync(string sessionId, object? message, CancellationToken cancellationToken = default) =>
        core.ToSessionAsync(sessionId, OutboundMessage.ForMessage(message), cancellationToken);

    public int Emit(string eventName, params object?[] args) => core.ToAll(Namespace, OutboundMessage.ForEvent(eventName, args));

    public int EmitChannel(string channel, string eventName, params object?[] args) =>
        core.ToChannel(Namespace, channel, OutboundMessage.ForEvent(eventName, args));

    public void EmitToSession(string sessionId, string eventName, params object?[] args) =>
        core.ToSession(sessionId, OutboundMessage.ForEvent(eventName, args));

    public Task<int> EmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        core.ToAllAsync(Namespace, OutboundMessage.ForEvent(eventName, args), cancellationToken);

    public Task<int> EmitChannelAsync(string channel, string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        core.ToChannelAsync(Namespace, channel, OutboundMessage.ForEvent(eventName, args), cancellationToken);

    public Task EmitToSessionAsync(string sessionId, string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        core.ToSessionAsync(sessionId, OutboundMessage.ForEvent(eventName, args), cancellationToken);

    public int CountSubscribers(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return core.CountSubscribersOfKey(ChannelKeys.For(Namespace, channel));
    }

    public Task<int> CountSubscribersAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return core.CountSubscribersOfKeyAsync(ChannelKeys.For(Namespace, channel), cancellationToken);
    }

    public override string ToString() => "Broadcaster of namespace " + Namespace;
}
