namespace SocketIoChannels.Protocol;

/// <summary>A client payload that is refused as a whole: none of its commands run. The message is short and
/// names the problem; transports send it to the client (HTTP 400 text, or the WebSocket close reason).</summary>
internal sealed class InvalidPayloadException : Exception
{
    public InvalidPayloadException(string message, bool overLimit) : base(message)
    {
        OverLimit = overLimit;
    }

    /// <summary><see langword="true"/> when a limit was exceeded (WebSocket close 1008), <see langword="false"/>
    /// when the payload is malformed (WebSocket close 1007).</summary>
    public bool OverLimit { get; }
}
