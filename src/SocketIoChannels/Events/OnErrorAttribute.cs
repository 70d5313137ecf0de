namespace SocketIoChannels;

/// <summary>Runs the method when another handler of the session threw.</summary>
/// <remarks>django-socketio: <c>@on_error</c>. An <c>Exception</c> parameter receives the exception; the session keeps running unless SocketIoOptions.CloseSessionOnHandlerError is set.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnErrorAttribute : SocketIoEventAttribute
{
    /// <summary>Marks the method as a handler of this event.</summary>
    /// <param name="channel">A regular expression matched from the start of the channel name (as Python's
    /// <c>re.match</c>; add <c>$</c> to anchor the end); <see langword="null"/> or empty: every session.</param>
    public OnErrorAttribute(string? channel = null) : base(SocketIoEvent.Error, channel)
    {
    }
}
