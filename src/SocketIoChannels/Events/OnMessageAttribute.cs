namespace SocketIoChannels;

/// <summary>Runs the method for each message a client sends.</summary>
/// <remarks>django-socketio: <c>@on_message</c>. Parameters: the message as <c>JToken</c>, <c>string</c> or any type deserialized from JSON.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnMessageAttribute : SocketIoEventAttribute
{
    /// <summary>Marks the method as a handler of this event.</summary>
    /// <param name="channel">A regular expression matched from the start of the channel name (as Python's
    /// <c>re.match</c>; add <c>$</c> to anchor the end); <see langword="null"/> or empty: every session.</param>
    public OnMessageAttribute(string? channel = null) : base(SocketIoEvent.Message, channel)
    {
    }
}
