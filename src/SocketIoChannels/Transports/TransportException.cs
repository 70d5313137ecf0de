namespace SocketIoChannels.Transports;

/// <summary>A client error a transport found; the dispatcher answers with <see cref="StatusCode"/> and the
/// message as short plain text.</summary>
internal sealed class TransportException : Exception
{
    public TransportException(int statusCode, string message) : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
