namespace SocketIoChannels;

/// <summary>
/// A client's message could not be converted to the type of a handler's message parameter. The handler did not
/// run; the OnError handlers receive this exception. It is the client's error, so it is logged at Debug.
/// </summary>
/// <remarks>django-socketio has no equivalent: its handlers always took the decoded value as it came.</remarks>
public sealed class MessageBindingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MessageBindingException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MessageBindingException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MessageBindingException() : base("The message could not be converted to the handler's parameter type.")
    {
    }
}
