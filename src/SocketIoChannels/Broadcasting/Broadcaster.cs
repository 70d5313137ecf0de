namespace SocketIoChannels;

/// <summary>
/// Static access to the app's <see cref="ISocketIoBroadcaster"/>, for code that cannot take it by injection.
/// </summary>
/// <remarks>
/// django-socketio: <c>from django_socketio import broadcast, broadcast_channel, send</c>. It uses the
/// broadcaster of the most recently started host in the process; prefer injecting
/// <see cref="ISocketIoBroadcaster"/> where several hosts share a process (tests).
/// </remarks>
public static class Broadcaster
{
    private static ISocketIoBroadcaster? current;

    /// <summary>The broadcaster the static methods use; set when a host using SocketIoChannels starts (only then:
    /// the setter is internal, so no code can redirect every static broadcast of the process).</summary>
    /// <exception cref="InvalidOperationException">No host with SocketIoChannels has started.</exception>
    public static ISocketIoBroadcaster Current
    {
        get => Volatile.Read(ref current) ?? throw new InvalidOperationException(
            "No SocketIoChannels server has started in this process: call builder.Services.AddSocketIoChannels() and start the host, or inject ISocketIoBroadcaster.");
        internal set => Volatile.Write(ref current, value);
    }

    /// <inheritdoc cref="ISocketIoBroadcaster.Broadcast"/>
    public static int Broadcast(object? message) => Current.Broadcast(message);

    /// <inheritdoc cref="ISocketIoBroadcaster.BroadcastChannel"/>
    public static int BroadcastChannel(object? message, string channel) => Current.BroadcastChannel(message, channel);

    /// <inheritdoc cref="ISocketIoBroadcaster.Send"/>
    public static void Send(string sessionId, object? message) => Current.Send(sessionId, message);

    /// <inheritdoc cref="ISocketIoBroadcaster.BroadcastAsync"/>
    public static Task<int> BroadcastAsync(object? message, CancellationToken cancellationToken = default) =>
        Current.BroadcastAsync(message, cancellationToken);

    /// <inheritdoc cref="ISocketIoBroadcaster.BroadcastChannelAsync"/>
    public static Task<int> BroadcastChannelAsync(object? message, string channel, CancellationToken cancellationToken = default) =>
        Current.BroadcastChannelAsync(message, channel, cancellationToken);

    /// <inheritdoc cref="ISocketIoBroadcaster.SendAsync"/>
    public static Task SendAsync(string sessionId, object? message, CancellationToken cancellationToken = default) =>
        Current.SendAsync(sessionId, message, cancellationToken);

    /// <inheritdoc cref="ISocketIoBroadcaster.Of"/>
    public static ISocketIoBroadcaster Of(string name) => Current.Of(name);

    /// <inheritdoc cref="ISocketIoBroadcaster.Emit"/>
    public static int Emit(string eventName, params object?[] args) => Current.Emit(eventName, args);

    /// <inheritdoc cref="ISocketIoBroadcaster.EmitChannel"/>
    public static int EmitChannel(string channel, string eventName, params object?[] args) => Current.EmitChannel(channel, eventName, args);

    /// <inheritdoc cref="ISocketIoBroadcaster.EmitToSession"/>
    public static void EmitToSession(string sessionId, string eventName, params object?[] args) => Current.EmitToSession(sessionId, eventName, args);

    /// <inheritdoc cref="ISocketIoBroadcaster.EmitAsync"/>
    public static Task<int> EmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        Current.EmitAsync(eventName, args, cancellationToken);

    /// <inheritdoc cref="ISocketIoBroadcaster.EmitChannelAsync"/>
    public static Task<int> EmitChannelAsync(string channel, string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        Current.EmitChannelAsync(channel, eventName, args, cancellationToken);

    /// <inheritdoc cref="ISocketIoBroadcaster.EmitToSessionAsync"/>
    public static Task EmitToSessionAsync(string sessionId, string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        Current.EmitToSessionAsync(sessionId, eventName, args, cancellationToken);

    internal static void ClearIf(ISocketIoBroadcaster broadcaster) =>
        Interlocked.CompareExchange(ref current, null, broadcaster);
}
