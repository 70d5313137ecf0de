namespace SocketIoChannels;

/// <summary>Runs the method when the client's connection ended (closed, timed out, dropped or disconnected by the
/// server), before the teardown events. It does not run when the host stops (the client did not disconnect), nor
/// after a handler error that ended the session (<c>SocketIoOptions.CloseSessionOnHandlerError</c>).</summary>
/// <remarks>django-socketio: <c>@on_disconnect</c>.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnDisconnectAttribute : SocketIoEventAttribute
{
    /// <summary>Marks the method as a handler of this event.</summary>
    /// <param name="channel">A regular expression matched from the start of the channel name (as Python's
    /// <c>re.match</c>; add <c>$</c> to anchor the end); <see langword="null"/> or empty: every session.</param>
    public OnDisconnectAttribute(string? channel = null) : base(SocketIoEvent.Disconnect, channel)
    {
    }
}
