namespace SocketIoChannels;

/// <summary>
/// Sends to sessions from anywhere in the app (controllers, minimal API endpoints, background services):
/// inject it, or use the static <see cref="Broadcaster"/>.
/// </summary>
/// <remarks>django-socketio: the out-of-band helpers <c>django_socketio.broadcast</c>,
/// <c>broadcast_channel</c> and <c>send</c>. Each call encodes the message once and queues it for every
/// recipient without waiting for any client.</remarks>
public interface ISocketIoBroadcaster
{
    /// <summary>Sends a message to every session. Returns how many sessions it was queued for.</summary>
    /// <exception cref="NoSocketException">No session is connected.</exception>
    /// <remarks>django-socketio: <c>broadcast(message)</c>.</remarks>
    int Broadcast(object? message);

    /// <summary>Sends a message to every session subscribed to <paramref name="channel"/>. Returns how many
    /// sessions it was queued for.</summary>
    /// <exception cref="NoSocketException">No session is subscribed to the channel.</exception>
    /// <remarks>django-socketio: <c>broadcast_channel(message, channel)</c>.</remarks>
    int BroadcastChannel(object? message, string channel);

    /// <summary>Sends a message to one session.</summary>
    /// <exception cref="NoSocketException">No session has that id.</exception>
    /// <remarks>django-socketio: <c>send(session_id, message)</c>.</remarks>
    void Send(string sessionId, object? message);

    /// <summary>How many sessions are subscribed to <paramref name="channel"/> on this server.</summary>
    int CountSubscribers(string channel);

    /// <summary>How many sessions are alive on this server.</summary>
    int SessionCount { get; }
}
