namespace SocketIoChannels;

/// <summary>Runs the method once when a session starts, after its id was sent and before any message.</summary>
/// <remarks>django-socketio: <c>@on_connect</c>. It takes no channel: a new session is in no channel yet.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnConnectAttribute : SocketIoEventAttribute
{
    /// <summary>Marks the method as a handler of the connect event.</summary>
    public OnConnectAttribute() : base(SocketIoEvent.Connect, null)
    {
    }
}
