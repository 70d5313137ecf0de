namespace SocketIoChannels;

/// <summary>
/// Sends to sessions from anywhere in the app (controllers, minimal API endpoints, background services):
/// inject it, or use the static <see cref="Broadcaster"/>.
/// </summary>
/// <remarks>django-socketio: the out-of-band helpers <c>django_socketio.broadcast</c>,
/// <c>broadcast_channel</c> and <c>send</c>. Each call encodes the message once and queues it for every
/// recipient without waiting for any client.
/// <para>Order: any two sends, from any threads and to any targets, reach all their common recipients in the same
/// relative order, on this server and on the others.</para>
/// <para>With a backplane (for example Redis, see <c>AddStackExchangeRedis</c>) every send also reaches the
/// sessions of the other servers. Sessions on this server are served first and the message is handed to the
/// backplane in the same step. The synchronous methods never block on I/O: they return the number of sessions on
/// this server that got the message; when there were none, the number of other servers that the backplane's
/// presence (kept in memory, updated as servers announce their subscribers) says have a recipient; and when there
/// are none of those either, or the backplane is disconnected, they throw <see cref="NoSocketException"/> (the
/// message was published all the same). Known gap: a subscriber that joined on another server in the last moments
/// may not be known yet (a false <see cref="NoSocketException"/>), and one that left may still be (no exception,
/// nobody got it). The <c>Async</c> methods give the exact cluster-wide answer: they wait for the backplane, which
/// counts the servers with a recipient from the presence in Redis in the same step as the publish (a client's
/// subscription is in it before its OnSubscribe event runs).</para>
/// <para>A message too large for the backplane (Redis: <c>RedisBackplaneOptions.MaxMessageBytes</c>) is refused
/// with an <see cref="ArgumentException"/> before anything is sent, on this server too.</para></remarks>
public interface ISocketIoBroadcaster
{
    /// <summary>Sends a message to every session, without blocking on I/O. Returns how many sessions on this
    /// server it was queued for; with a backplane and none here, how many other servers are known to have
    /// sessions.</summary>
    /// <exception cref="NoSocketException">No session is connected (with a backplane: none here and no other server
    /// is known to have one, or the backplane is disconnected).</exception>
    /// <exception cref="ArgumentException">The message is too large for the backplane; nothing was sent.</exception>
    /// <remarks>django-socketio: <c>broadcast(message)</c>.</remarks>
    int Broadcast(object? message);

    /// <summary>Sends a message to every session subscribed to <paramref name="channel"/>, without blocking on I/O.
    /// Returns how many sessions on this server it was queued for; with a backplane and none here, how many other
    /// servers are known to have a subscriber.</summary>
    /// <exception cref="NoSocketException">No session is subscribed to the channel (with a backplane: none here and
    /// no other server is known to have one, or the backplane is disconnected).</exception>
    /// <exception cref="ArgumentException">The message is too large for the backplane; nothing was sent.</exception>
    /// <remarks>django-socketio: <c>broadcast_channel(message, channel)</c>.</remarks>
    int BroadcastChannel(object? message, string channel);

    /// <summary>Sends a message to one session, without blocking on I/O; with a backplane, on whichever server it
    /// is connected to.</summary>
    /// <exception cref="NoSocketException">No session has that id here, and (with a backplane) the server it belongs
    /// to is not known to be alive or the backplane is disconnected. A session that ended on a live server a moment
    /// ago is not detected: the message is dropped there (the same known gap as <see cref="SendAsync"/>).</exception>
    /// <exception cref="ArgumentException">The message is too large for the backplane; nothing was sent.</exception>
    /// <remarks>django-socketio: <c>send(session_id, message)</c>.</remarks>
    void Send(string sessionId, object? message);

    /// <summary>Sends a message to every session, on every server. Returns how many sessions on this server it
    /// was queued for plus how many other servers received it (a backplane reports servers, not their
    /// sessions).</summary>
    /// <exception cref="NoSocketException">No server has a session, or none here and the backplane could not be
    /// reached.</exception>
    /// <exception cref="ArgumentException">The message is too large for the backplane; nothing was sent.</exception>
    /// <remarks>django-socketio: <c>broadcast(message)</c>.</remarks>
    Task<int> BroadcastAsync(object? message, CancellationToken cancellationToken = default);

    /// <summary>Sends a message to every session subscribed to <paramref name="channel"/>, on every server. Returns
    /// how many sessions on this server it was queued for plus how many other servers with subscribers received
    /// it.</summary>
    /// <exception cref="NoSocketException">No server has a subscriber, or none here and the backplane could not be
    /// reached.</exception>
    /// <exception cref="ArgumentException">The message is too large for the backplane; nothing was sent.</exception>
    /// <remarks>django-socketio: <c>broadcast_channel(message, channel)</c>.</remarks>
    Task<int> BroadcastChannelAsync(object? message, string channel, CancellationToken cancellationToken = default);

    /// <summary>Sends a message to one session, on whichever server it is connected to.</summary>
    /// <exception cref="NoSocketException">No session has that id here, and its server is not reachable (it
    /// stopped, or the backplane could not be reached). A session that ended on a live server a moment ago is not
    /// detected: the message is dropped there.</exception>
    /// <exception cref="ArgumentException">The message is too large for the backplane; nothing was sent.</exception>
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
