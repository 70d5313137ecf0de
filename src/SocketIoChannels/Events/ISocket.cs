namespace SocketIoChannels;

/// <summary>
/// One client session, as handed to handler methods: send to it, broadcast from it, manage its channels.
/// </summary>
/// <remarks>
/// django-socketio: the <c>socket</c> argument of every handler (<c>SocketIOChannelProxy</c>). Messages are
/// encoded as in Socket.IO 0.6: a <see cref="string"/> goes out as a plain frame, any other value (objects,
/// arrays, numbers, booleans, <see langword="null"/>, <c>JToken</c>) as <c>~j~</c> JSON. Every send only queues
/// the message and never waits for a client. With a backplane (<c>AddStackExchangeRedis</c>), the broadcasts also
/// reach the matching sessions of every other server, each peer once, and never throw when the backplane is down.
/// </remarks>
public interface ISocket
{
    /// <summary>The session id: 128 random bits, written as 32 lower-case hex digits.</summary>
    /// <remarks>django-socketio: <c>socket.session.session_id</c>.</remarks>
    string SessionId { get; }

    /// <summary>The channels this session is subscribed to, in subscription order (a snapshot).</summary>
    /// <remarks>django-socketio: <c>socket.channels</c>.</remarks>
    IReadOnlyList<string> Channels { get; }

    /// <summary>The transport the session connected with: <c>websocket</c>, <c>xhr-polling</c>, …</summary>
    string Transport { get; }

    /// <summary><see langword="true"/> while the session is alive.</summary>
    /// <remarks>django-socketio: <c>socket.connected()</c>.</remarks>
    bool Connected { get; }

    /// <summary>Sends a message to this session only.</summary>
    /// <remarks>django-socketio: <c>socket.send</c>.</remarks>
    void Send(object? message);

    /// <summary>Sends a message to every other session of the server.</summary>
    /// <remarks>django-socketio: <c>socket.broadcast</c>.</remarks>
    void Broadcast(object? message);

    /// <summary>Sends a message to every other session subscribed to <paramref name="channel"/>, or, when it is
    /// <see langword="null"/>, to every other session in any of this session's channels (each peer once).
    /// This session need not be subscribed to <paramref name="channel"/>.</summary>
    /// <remarks>django-socketio: <c>socket.broadcast_channel</c>.</remarks>
    void BroadcastChannel(object? message, string? channel = null);

    /// <summary>Sends a message to this session and to every other session.</summary>
    /// <remarks>django-socketio: <c>socket.send_and_broadcast</c>.</remarks>
    void SendAndBroadcast(object? message);

    /// <summary>Sends a message to this session and as <see cref="BroadcastChannel"/> does.</summary>
    /// <remarks>django-socketio: <c>socket.send_and_broadcast_channel</c>.</remarks>
    void SendAndBroadcastChannel(object? message, string? channel = null);

    /// <summary>Subscribes this session to a channel from the server side. Returns <see langword="false"/> when
    /// it already was. No OnSubscribe event fires (as in the original).</summary>
    /// <remarks>django-socketio: <c>socket.subscribe</c>.</remarks>
    bool Subscribe(string channel);

    /// <summary>Unsubscribes this session from a channel from the server side. Returns <see langword="false"/>
    /// when it was not subscribed. No OnUnsubscribe event fires.</summary>
    /// <remarks>django-socketio: <c>socket.unsubscribe</c>.</remarks>
    bool Unsubscribe(string channel);

    /// <summary>Ends the session: its connection is closed and the teardown events run. The 0.6 client sees a
    /// disconnect and, unless told otherwise, reconnects with a new session.</summary>
    /// <remarks>django-socketio: <c>socket.session.kill()</c>.</remarks>
    void Disconnect();
}
