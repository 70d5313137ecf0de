namespace SocketIoChannels;

/// <summary>Runs the method last for every session, after OnUnsubscribe for each remaining channel; the channels are still subscribed while it runs.</summary>
/// <remarks>django-socketio: <c>@on_finish</c>. It also runs for every live session when the host stops (django-socketio: client_end_all).</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnFinishAttribute : SocketIoEventAttribute
{
    /// <summary>Marks the method as a handler of this event.</summary>
    /// <param name="channel">A regular expression matched from the start of the channel name (as Python's
    /// <c>re.match</c>; add <c>$</c> to anchor the end); <see langword="null"/> or empty: every session.</param>
    public OnFinishAttribute(string? channel = null) : base(SocketIoEvent.Finish, channel)
    {
    }
}
