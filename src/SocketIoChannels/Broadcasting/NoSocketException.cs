namespace SocketIoChannels;

/// <summary>
/// Thrown by the out-of-band helpers when nobody could receive the message: no session at all, none in the
/// channel, or no session with the given id.
/// </summary>
/// <remarks>django-socketio: <c>django_socketio.NoSocket</c>.</remarks>
public sealed class NoSocketException : Exception
{
    /// <summary>Creates the exception with a message saying who was missing.</summary>
    public NoSocketException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with the default message.</summary>
    public NoSocketException() : base("There are no clients.")
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public NoSocketException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
