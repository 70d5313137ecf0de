namespace SocketIoChannels;

/// <summary>
/// Sends to sessions from anywhere in the app (controllers, minimal API endpoints, background services):
/// inject it, or use the static <see cref="Broadcaster"/>.
/// </summary>
/// <remarks>django-socketio: the out-of-band helpers <c>django_socketio.broadcast</c>,
/// <c>broadcast_channel</c> and <c>send</c>. Each call encodes the message once and queues it for every
/// recipient without waiting for any client.
/// <para>With a backplane (for example Redis, see <c>AddStackExchangeRedis</c>) every send also reaches the
/// sessions of the other servers. Sessions on this server are served first, without waiting for the backplane.
/// The synchronous methods then publish in the background and return the local count; only when nobody on this
/// server received the message do they wait (at most 5 seconds) for the backplane to report whether another server
/// did, and throw <see cref="NoSocketException"/> when none did or it could not be reached. The <c>Async</c>
/// methods always wait for the backplane and count both.</para></remarks>
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

    /// <summary>Sends a message to every session, on every server. Returns how many sessions on this server it
    /// was queued for plus how many other servers received it (a backplane reports servers, not their
    /// sessions).</summary>
    /// <exception cref="NoSocketException">No server has a session, or none here and the backplane could not be
    /// reached.</exception>
    /// <remarks>django-socketio: <c>broadcast(message)</c>.</remarks>
    Task<int> BroadcastAsync(object? message, CancellationToken cancellationToken = default);

    /// <summary>Sends a message to every session subscribed to <paramref name="channel"/>, on every server. Returns
    /// how many sessions on this server it was queued for plus how many other servers with subscribers received
    /// it.</summary>
    /// <exception cref="NoSocketException">No server has a subscriber, or none here and the backplane could not be
    /// reached.</exception>
    /// <remarks>django-socketio: <c>broadcast_channel(message, channel)</c>.</remarks>
    Task<int> BroadcastChannelAsync(object? message, string channel, CancellationToken cancellationToken = default);

    /// <summary>Sends a message to one session, on whichever server it is connected to.</summary>
    /// <exception cref="NoSocketException">No session has that id here, and its server is not reachable (it
    /// stopped, or the backplane could not be reached). A session that ended on a live server a moment ago is not
    /// detected: the message is dropped there.</exception>
    /// <remarks>django-socketio: <c>send(session_id, message)</c>.</remarks>
    Task SendAsync(string sessionId, object? message, CancellationToken cancellationToken = default);

    /// <summary>How many sessions are subscribed to <paramref name="channel"/> on this server.</summary>
    int CountSubscribers(string channel);

    /// <summary>How many sessions are subscribed to <paramref name="channel"/> on every server: this server's
    /// exact count plus the counts other servers last refreshed in the backplane (a server that stops refreshing
    /// them drops out after their expiry). Equals <see cref="CountSubscribers"/> without a backplane.</summary>
    Task<int> CountSubscribersAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>How many sessions are alive on this server.</summary>
    int SessionCount { get; }
}
