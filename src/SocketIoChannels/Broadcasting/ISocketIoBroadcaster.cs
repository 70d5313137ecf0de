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
/// with an <see cref="ArgumentException"/> before anything is sent, on this server too.</para>
/// <para>Socket.IO 5: the broadcaster you inject (and <see cref="Broadcaster"/>) sends to namespace <c>/</c>, where
/// every 0.6 session lives; <see cref="Of"/> gives the same methods for another namespace (socket.io:
/// <c>io.of("/admin")</c>). Channels are per namespace. A message (<see cref="Broadcast"/>, <see cref="Send"/>, ...)
/// reaches a Socket.IO 5 socket as the event <c>"message"</c>; an event (<see cref="Emit"/>, <see cref="EmitChannel"/>,
/// ...) reaches a 0.6 session as the JSON message <c>{"name": "...", "args": [...]}</c>. Each send is encoded once
/// per protocol in use, never per recipient.</para></remarks>
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

    /// <summary>How many sessions are alive on this server (for a namespace's broadcaster, <see cref="Of"/>: how many
    /// sockets of that namespace).</summary>
    int SessionCount { get; }

    /// <summary>The namespace this broadcaster sends to: <c>/</c> unless it came from <see cref="Of"/>.</summary>
    /// <remarks>socket.io: <c>namespace.name</c>; django-socketio had no namespaces.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "socket.io's name; issue 13 fixes it.")]
    string Namespace { get; }

    /// <summary>The broadcaster of namespace <paramref name="name"/> (for example <c>/admin</c>): the same
    /// methods, for the Socket.IO 5 sockets connected to that namespace and its channels. <c>Of("/")</c> is the
    /// default broadcaster.</summary>
    /// <exception cref="ArgumentException">The name does not start with <c>/</c>.</exception>
    /// <remarks>socket.io: <c>io.of("/admin")</c>.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "socket.io's io.of(name).")]
    ISocketIoBroadcaster Of(string name);

    /// <summary>Sends the event <paramref name="eventName"/> with <paramref name="args"/> to every session, without
    /// blocking on I/O (<c>byte[]</c> arguments go to Socket.IO 5 clients as binary attachments). Returns and throws
    /// as <see cref="Broadcast"/>.</summary>
    /// <exception cref="NoSocketException">No session is connected (see <see cref="Broadcast"/>).</exception>
    /// <exception cref="ArgumentException">An argument cannot be sent as JSON, or the event is too large for the
    /// backplane; nothing was sent.</exception>
    /// <remarks>socket.io: <c>io.emit(eventName, ...args)</c>; SignalR: <c>Clients.All.SendAsync</c>. 0.6 sessions
    /// get the JSON message <c>{"name": eventName, "args": [...]}</c>.</remarks>
    int Emit(string eventName, params object?[] args);

    /// <summary>Sends the event <paramref name="eventName"/> with <paramref name="args"/> to every session
    /// subscribed to <paramref name="channel"/>, without blocking on I/O. Returns and throws as
    /// <see cref="BroadcastChannel"/>.</summary>
    /// <exception cref="NoSocketException">No session is subscribed to the channel (see
    /// <see cref="BroadcastChannel"/>).</exception>
    /// <exception cref="ArgumentException">An argument cannot be sent as JSON, or the event is too large for the
    /// backplane; nothing was sent.</exception>
    /// <remarks>socket.io: <c>io.to(channel).emit(eventName, ...args)</c>; SignalR: <c>Clients.Group(channel).SendAsync</c>.</remarks>
    int EmitChannel(string channel, string eventName, params object?[] args);

    /// <summary>Sends the event <paramref name="eventName"/> with <paramref name="args"/> to one session, as
    /// <see cref="Send"/> does.</summary>
    /// <exception cref="NoSocketException">See <see cref="Send"/>.</exception>
    /// <exception cref="ArgumentException">An argument cannot be sent as JSON, or the event is too large for the
    /// backplane; nothing was sent.</exception>
    /// <remarks>socket.io: <c>io.to(socketId).emit(eventName, ...args)</c>; SignalR: <c>Clients.Client(id).SendAsync</c>.</remarks>
    void EmitToSession(string sessionId, string eventName, params object?[] args);

    /// <summary>Sends an event to every session, on every server; returns and throws as <see cref="BroadcastAsync"/>.</summary>
    /// <exception cref="NoSocketException">See <see cref="BroadcastAsync"/>.</exception>
    /// <exception cref="ArgumentException">An argument cannot be sent as JSON, or the event is too large for the
    /// backplane; nothing was sent.</exception>
    /// <remarks>socket.io: <c>io.emit(eventName, ...args)</c>.</remarks>
    Task<int> EmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default);

    /// <summary>Sends an event to every session subscribed to <paramref name="channel"/>, on every server; returns and
    /// throws as <see cref="BroadcastChannelAsync"/>.</summary>
    /// <exception cref="NoSocketException">See <see cref="BroadcastChannelAsync"/>.</exception>
    /// <exception cref="ArgumentException">An argument cannot be sent as JSON, or the event is too large for the
    /// backplane; nothing was sent.</exception>
    /// <remarks>socket.io: <c>io.to(channel).emit(eventName, ...args)</c>.</remarks>
    Task<int> EmitChannelAsync(string channel, string eventName, object?[] args, CancellationToken cancellationToken = default);

    /// <summary>Sends an event to one session, on whichever server it is connected to, as <see cref="SendAsync"/>.</summary>
    /// <exception cref="NoSocketException">See <see cref="SendAsync"/>.</exception>
    /// <exception cref="ArgumentException">An argument cannot be sent as JSON, or the event is too large for the
    /// backplane; nothing was sent.</exception>
    /// <remarks>socket.io: <c>io.to(socketId).emit(eventName, ...args)</c>.</remarks>
    Task EmitToSessionAsync(string sessionId, string eventName, object?[] args, CancellationToken cancellationToken = default);
}
