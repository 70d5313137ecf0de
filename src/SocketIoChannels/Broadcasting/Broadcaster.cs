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

    internal static void ClearIf(ISocketIoBroadcaster broadcaster) =>
        Interlocked.CompareExchange(ref current, null, broadcaster);
}
