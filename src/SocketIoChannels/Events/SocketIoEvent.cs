namespace SocketIoChannels;

/// <summary>The events a handler method can be bound to.</summary>
/// <remarks>django-socketio: the module-level Event instances of <c>django_socketio.events</c>.</remarks>
public enum SocketIoEvent
{
    /// <summary>A session started (on_connect).</summary>
    Connect,
    /// <summary>A message arrived (on_message).</summary>
    Message,
    /// <summary>The session subscribed to a channel (on_subscribe).</summary>
    Subscribe,
    /// <summary>The session unsubscribed from a channel, or is ending while in it (on_unsubscribe).</summary>
    Unsubscribe,
    /// <summary>A handler threw (on_error).</summary>
    Error,
    /// <summary>The connection ended (on_disconnect).</summary>
    Disconnect,
    /// <summary>The session is finishing; always the last event (on_finish).</summary>
    Finish,
    /// <summary>A named event from a Socket.IO 5 client (<see cref="OnEventAttribute"/>; socket.io:
    /// <c>socket.on(name, ...)</c>). django-socketio had no named events.</summary>
    Event,
}
