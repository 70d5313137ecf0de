using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Transports;

/// <summary>The log events of <see cref="WebSocketConnection"/>, written to the category of the transport that
/// accepted the connection, with the flavour's name (<see cref="IWebSocketFraming.Name"/>) in the text.</summary>
internal static partial class WebSocketLog
{
    [LoggerMessage(100, LogLevel.Trace, "Session {SessionId} received a {Flavour} message of {Length} bytes.")]
    public static partial void Received(this ILogger logger, string sessionId, string flavour, int length);

    [LoggerMessage(101, LogLevel.Debug, "Session {SessionId} sent a payload that was not handled: {Problem}")]
    public static partial void PayloadNotHandled(this ILogger logger, string sessionId, string problem);

    [LoggerMessage(102, LogLevel.Debug, "Closing the {Flavour} of session {SessionId} with {Close}: {Description}")]
    public static partial void Closing(this ILogger logger, string flavour, string sessionId, string close, string description);

    [LoggerMessage(103, LogLevel.Debug, "Sending to session {SessionId} failed: {Reason}")]
    public static partial void SendFailed(this ILogger logger, string sessionId, string reason);

    [LoggerMessage(104, LogLevel.Debug, "Receiving from session {SessionId} failed: {Reason}")]
    public static partial void ReceiveFailed(this ILogger logger, string sessionId, string reason);

    [LoggerMessage(105, LogLevel.Debug, "Session {SessionId} did not finish the close of its {Flavour} within {Seconds} s: the connection is cut off.")]
    public static partial void CutOff(this ILogger logger, string sessionId, string flavour, int seconds);

    [LoggerMessage(106, LogLevel.Debug, "The {Flavour} of session {SessionId} ended; the session is alive: {Alive}.")]
    public static partial void Ended(this ILogger logger, string flavour, string sessionId, bool alive);

    [LoggerMessage(107, LogLevel.Error, "The send loop of the {Flavour} of session {SessionId} failed: the connection is cut off, what it was sending stays queued.")]
    public static partial void SendLoopFailed(this ILogger logger, Exception exception, string flavour, string sessionId);
}
