namespace SocketIoChannels;

/// <summary>
/// Runs the method for each event named <see cref="EventName"/> that a Socket.IO 5 client emits
/// (<c>socket.emit("name", ...args)</c>). The method's parameters that are not context (<see cref="ISocket"/>,
/// <see cref="SocketIoRequest"/>, the session context, <see cref="CancellationToken"/>, <see cref="SocketIoAck"/>)
/// nor registered services bind the event's arguments by position, as SignalR hub methods do: the first such
/// parameter gets the first argument, converted from JSON to its type (a <see cref="MessageBindingException"/> goes
/// to OnError when it cannot be); a missing argument binds the parameter's default. A parameter of type
/// <c>JToken[]</c> gets all the arguments; a <c>byte[]</c> parameter gets a binary argument. A return value (or
/// <c>Task&lt;T&gt;</c> result) answers the client's acknowledgement callback when it passed one.
/// </summary>
/// <remarks>socket.io: <c>socket.on(eventName, (...args, callback) => ...)</c>. django-socketio had no named events
/// (0.6 clients send messages, handled by <see cref="OnMessageAttribute"/>). The events <c>message</c>,
/// <c>subscribe</c> and <c>unsubscribe</c> are the OnMessage, OnSubscribe and OnUnsubscribe events, not OnEvent.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnEventAttribute : SocketIoEventAttribute
{
    /// <summary>Marks the method as a handler of the event <paramref name="eventName"/>.</summary>
    /// <param name="eventName">The event's name, as the client emits it (case-sensitive).</param>
    /// <param name="channel">A regular expression matched from the start of the session's channel names;
    /// <see langword="null"/> or empty: every session.</param>
    /// <remarks>socket.io: <c>socket.on(eventName, ...)</c>.</remarks>
    public OnEventAttribute(string eventName, string? channel = null) : base(SocketIoEvent.Event, channel)
    {
        EventName = eventName;
    }

    /// <summary>The name of the event this method handles.</summary>
    /// <remarks>socket.io: the first element of the EVENT packet.</remarks>
    public string EventName { get; }
}
