using Newtonsoft.Json.Linq;

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
/// <para>A Socket.IO 5 client (socket.io-client 3.x/4.x) is one socket per namespace it connects to; messages reach
/// it as the event <c>"message"</c> (what its <c>socket.on("message", ...)</c> receives). Broadcasts stay within this
/// socket's <see cref="Namespace"/>, and so do channels. Events (<see cref="Emit"/>, <see cref="EmitChannel"/>,
/// <see cref="BroadcastEmit"/>) reach 0.6 sessions as the JSON message <c>{"name": "...", "args": [...]}</c>.</para>
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

    /// <summary>The namespace this socket connected to: <c>/</c> for every 0.6 session and for Socket.IO 5 clients
    /// that connected to the default namespace.</summary>
    /// <remarks>socket.io: <c>socket.nsp.name</c>; django-socketio had no namespaces.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "socket.io's name; issue 13 fixes it.")]
    string Namespace { get; }

    /// <summary>The auth payload the Socket.IO 5 client sent with its CONNECT (socket.io-client's <c>auth</c>
    /// option): an empty object when it sent none, and always for 0.6 sessions. Read it in OnConnect and throw
    /// <see cref="SocketIoConnectionRefusedException"/> to refuse the connection.</summary>
    /// <remarks>socket.io: <c>socket.handshake.auth</c>; django-socketio had none.</remarks>
    JObject Auth { get; }

    /// <summary>Sends the event <paramref name="eventName"/> with <paramref name="args"/> to this session only.
    /// <c>byte[]</c> arguments go to a Socket.IO 5 client as binary attachments (a 0.6 client gets them as base64
    /// strings inside <c>{"name": ..., "args": [...]}</c>).</summary>
    /// <exception cref="ArgumentException">The event name is empty, or an argument cannot be sent as JSON.</exception>
    /// <remarks>socket.io: <c>socket.emit(eventName, ...args)</c>; SignalR: <c>Clients.Caller.SendAsync</c>.</remarks>
    void Emit(string eventName, params object?[] args);

    /// <summary>Sends an event to every other session of this socket's namespace.</summary>
    /// <exception cref="ArgumentException">The event name is empty, or an argument cannot be sent as JSON.</exception>
    /// <remarks>socket.io: <c>socket.broadcast.emit(eventName, ...args)</c>; SignalR: <c>Clients.Others.SendAsync</c>;
    /// the event form of django-socketio's <c>socket.broadcast</c>.</remarks>
    void BroadcastEmit(string eventName, params object?[] args);

    /// <summary>Sends an event to every other session subscribed to <paramref name="channel"/>, or, when it is
    /// <see langword="null"/>, to every other session in any of this session's channels (each peer once), as
    /// <see cref="BroadcastChannel"/> does with a message.</summary>
    /// <exception cref="ArgumentException">The event name is empty, or an argument cannot be sent as JSON.</exception>
    /// <remarks>socket.io: <c>socket.to(channel).emit(eventName, ...args)</c>; SignalR:
    /// <c>Clients.OthersInGroup(channel).SendAsync</c>; the event form of django-socketio's
    /// <c>socket.broadcast_channel</c>.</remarks>
    void EmitChannel(string? channel, string eventName, params object?[] args);

    /// <summary>Sends an event to this Socket.IO 5 client and waits for its acknowledgement (the client's callback,
    /// the last argument of its handler). Returns the arguments the client passed to the callback.</summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/> (the message names the event).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired, or the socket ended
    /// before the client answered.</exception>
    /// <exception cref="NotSupportedException">A Socket.IO 0.6 session: 0.6 clients have no acknowledgements.</exception>
    /// <remarks>socket.io: <c>socket.timeout(ms).emitWithAck(eventName, ...args)</c>; django-socketio had no acks.
    /// Inside OnConnect of a Socket.IO 5 socket nothing reaches the client before OnConnect returns (the CONNECT
    /// answer goes first), so an acknowledgement awaited there can only time out: emit it from a later event.</remarks>
    Task<JToken[]> EmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Ends the session: its connection is closed and the teardown events run. The 0.6 client sees a
    /// disconnect and, unless told otherwise, reconnects with a new session.</summary>
    /// <remarks>django-socketio: <c>socket.session.kill()</c>.</remarks>
    void Disconnect();
}
