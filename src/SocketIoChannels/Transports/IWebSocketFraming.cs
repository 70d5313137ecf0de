using System.Net.WebSockets;

namespace SocketIoChannels.Transports;

/// <summary>
/// What one WebSocket flavour (RFC 6455, hixie-75/76, …) supplies to <see cref="WebSocketConnection"/>: how frames
/// are written and read on its connection, and how it closes. Everything else (the send and receive loops, the
/// session, the close sequence and its one timeout) belongs to the connection core. One instance per connection;
/// the core is its only user, with at most one write and one read in flight at a time.
/// </summary>
internal interface IWebSocketFraming
{
    /// <summary>The flavour's name in logs, e.g. <c>WebSocket</c> or <c>hixie WebSocket</c>.</summary>
    string Name { get; }

    /// <summary>How the close with <paramref name="status"/> shows on this flavour's wire, for logs.</summary>
    string DescribeClose(WebSocketCloseStatus status);

    /// <summary>Writes queued Socket.IO frames (encoded UTF-8, <paramref name="length"/> bytes in all) to the client,
    /// as one or more messages of the flavour. Never cancelled once started: cancelling a write would lose the close
    /// that follows it. Throws when the connection fails.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte[]> frames, int length);

    /// <summary>Writes this side's close (with <paramref name="status"/> where the flavour has close codes), once;
    /// quiet when the connection is already closed or fails.</summary>
    ValueTask SendCloseAsync(WebSocketCloseStatus status, string description);

    /// <summary>After this side's close: reads and discards what the client still sends until its close or the end
    /// of the connection, so ending the request does not reset the connection under the close. Quiet.</summary>
    ValueTask DrainAsync();

    /// <summary>Cuts the connection off at once: every read and write in flight completes. Safe from any thread,
    /// any number of times.</summary>
    void Abort();
}
