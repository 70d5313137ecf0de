namespace SocketIoChannels;

/// <summary>The base of the event attributes (<see cref="OnMessageAttribute"/> and the others).</summary>
/// <remarks>django-socketio: <c>django_socketio.events.Event</c>.</remarks>
public abstract class SocketIoEventAttribute : Attribute
{
    private protected SocketIoEventAttribute(SocketIoEvent @event, string? channel)
    {
        Event = @event;
        Channel = channel;
    }

    /// <summary>The event this attribute binds the method to.</summary>
    public SocketIoEvent Event { get; }

    /// <summary>A regular expression matched from the start of a channel name, or <see langword="null"/> for a
    /// handler that runs for every session. For subscribe and unsubscribe it is matched against the channel
    /// being (un)subscribed; for the other events against each of the session's channels (the handler runs
    /// once if any matches).</summary>
    public string? Channel { get; set; }
}
