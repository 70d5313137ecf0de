namespace SocketIoChannels;

/// <summary>Runs the method after a client subscribed to a channel.</summary>
/// <remarks>django-socketio: <c>@on_subscribe</c>. A <c>string</c> parameter receives the channel; a channel pattern is matched against that channel.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnSubscribeAttribute : SocketIoEventAttribute
{
    /// <summary>Marks the method as a handler of this event.</summary>
    /// <param name="channel">A regular expression matched from the start of the channel name (as Python's
    /// <c>re.match</c>; add <c>$</c> to anchor the end); <see langword="null"/> or empty: every session.</param>
    public OnSubscribeAttribute(string? channel = null) : base(SocketIoEvent.Subscribe, channel)
    {
    }
}
