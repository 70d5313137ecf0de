namespace SocketIoChannels;

/// <summary>
/// Answers a Socket.IO 5 client's acknowledgement callback: take a parameter of this type in an <c>[OnEvent]</c> or
/// <c>[OnMessage]</c> handler and call it with the arguments the client's callback receives. The parameter is
/// <see langword="null"/> when the client asked for no acknowledgement (and always for 0.6 clients). Only the first
/// call answers; later calls do nothing. A handler may instead return a value (or <c>Task&lt;T&gt;</c>): it is sent
/// as the one argument of the acknowledgement when the client asked for one and the handler did not answer itself.
/// </summary>
/// <param name="args">The callback's arguments (<c>byte[]</c> ones go as binary attachments).</param>
/// <remarks>socket.io: the <c>callback</c> last argument of <c>socket.on(eventName, (...args, callback) => ...)</c>;
/// django-socketio had no acks.</remarks>
public delegate void SocketIoAck(params object?[] args);
