using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>
/// The websocket transport (also answered as <c>flashsocket</c>): RFC 6455 through ASP.NET Core, text frames, no
/// subprotocol; hixie-76/75 upgrades on the same URLs go to <see cref="HixieWebSocketTransport"/>. One receive loop
/// that holds no buffer while idle (zero-byte reads) and one send loop, the only writer, which sends everything
/// queued as one WebSocket message.
/// </summary>
internal sealed partial class WebSocketTransport : ISocketIoTransport
{
    private const int ReceiveChunk = 4096;
    private const int SendChunk = 4096;
    private const int MaxSendBatch = 256 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TransportLease.CloseTimeout;

    // The lease's cut-off (a static lambda: no delegate per connection). Aborting the connection completes a write
    // to Kestrel's stream that waits for the client, and ends the receive loop.
    private static readonly Action<object?> CutOffConnection = static state => ((HttpContext)state!).Abort();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ILogger<WebSocketTransport> logger;
    private readonly HixieWebSocketTransport hixie;

    public WebSocketTransport(string name, HixieWebSocketTransport hixie, ILogger<WebSocketTransport> logger)
    {
        Name = name;
        this.hixie = hixie;
        this.logger = logger;
    }

    public string Name { get; }

    public async Task ProcessRequestAsync(HttpContext context, TransportRequest request)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            if (HixieWebSocketTransport.IsHixieRequest(context))
            {
                await hixie.ProcessRequestAsync(context, request, Name).ConfigureAwait(false);
                return;
            }

            throw new TransportException(StatusCodes.Status400BadRequest, "The " + Name + " transport needs a WebSocket upgrade request.");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false }).ConfigureAwait(false);
        var session = request.Session ?? request.CreateSession();
        var lease = session?.Attach(isPoll: false, CutOffConnection, context);
        if (session is null || lease is null)
        {
            await CloseOutputQuietlyAsync(socket, WebSocketCloseStatus.EndpointUnavailable, "The server is stopping.").ConfigureAwait(false);
            return;
        }

        try
        {
            await RunAsync(context, socket, session, lease, request).ConfigureAwait(false);
        }
        finally
        {
            // After this the lease's cut-off callback cannot run: the request may end.
            lease.StopDeadline();
            if (lease.WasCutOff)
            {
                // The session ended while a send was in flight to a client that did not read it, nor the rest and
                // the close, within the close-handshake timeout.
                LogSendAbandoned(session.Id, (int)CloseHandshakeTimeout.TotalSeconds);
                socket.Abort();
            }
        }
    }

    private async Task RunAsync(HttpContext context, WebSocket socket, Session session, TransportLease lease, TransportRequest request)
    {
        // The lease's token stops both loops (the session dropped this client, or a newer connection took over),
        // and this method cancels the lease itself to stop the send loop: no linked sources per connection. The
        // token only ends the send loop's wait for frames: a send in flight is let finish (see StopSendingAsync),
        // since cancelling it would abort the socket and lose the close frame that follows. A session that ends
        // any other way lets the send loop write what is left and the close within the close-handshake timeout,
        // then the lease cuts the connection off (see TransportLease).
        var sending = SendLoopAsync(socket, session, request.Metrics, lease);
        var (status, description, closedByWebSocket) = await ReceiveLoopAsync(socket, session, request.MaxMessageSize, lease.Token).ConfigureAwait(false);
        if (lease.Token.IsCancellationRequested)
        {
            // Dropped (slow consumer, heartbeat timeout) or superseded: cut it off at once, a send in flight too.
            Abort(context, socket);
        }

        if (status is not null)
        {
            // The client broke the protocol: say why with the close code before the session ends, after the send
            // in flight, by the one writer.
            LogClosing(session.Id, (int)status.Value, description);
            (await StopSendingAsync(context, socket, session, lease, sending, stop: true).ConfigureAwait(false))?.Dispose();
            await CloseAndAwaitReplyAsync(socket, status.Value, description).ConfigureAwait(false);
            session.Detach(lease);
            return;
        }

        if (closedByWebSocket)
        {
            // The WebSocket closed itself on a protocol error it detected (1007 for invalid UTF-8 in a text frame,
            // 1002) and aborted: its close frame is written but must not be cut off by a reset, so keep the
            // connection until the client hangs up, at most the close-handshake timeout.
            await WaitForClientToHangUpAsync(context.RequestAborted).ConfigureAwait(false);
        }

        session.Detach(lease);

        // The receive loop has ended: no close to wait for any more. When the session is alive, the client went
        // away but may resume the session with its id: leave the queue to the next connection.
        (await StopSendingAsync(context, socket, session, lease, sending, stop: session.IsAlive).ConfigureAwait(false))?.Dispose();
        if (!session.IsAlive && session.EndReason is SessionEndReason.SlowConsumer or SessionEndReason.Timeout)
        {
            context.Abort(); // dropped (slow consumer, heartbeat timeout): cut it off
        }
        else if (socket.State is WebSocketState.CloseReceived)
        {
            await CloseOutputQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the send loop to end, after telling it to stop taking frames when <paramref name="stop"/>.
    /// A send in flight is let finish, at most the close-handshake timeout: a client that does not read is then
    /// cut off (the only case where a send is aborted because the connection is closing).</summary>
    private async Task<IDisposable?> StopSendingAsync(HttpContext context, WebSocket socket, Session session, TransportLease lease, Task<IDisposable?> sending, bool stop)
    {
        if (stop)
        {
            lease.Cancel();
        }

        if (!sending.IsCompleted)
        {
            try
            {
                return await sending.WaitAsync(CloseHandshakeTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                if (!lease.WasCutOff)
                {
                    LogSendAbandoned(session.Id, (int)CloseHandshakeTimeout.TotalSeconds);
                }

                Abort(context, socket);
            }
        }

        return await sending.ConfigureAwait(false);
    }

    // Aborting the WebSocket alone may leave a write to Kestrel's stream waiting for the client; aborting the
    // connection completes it.
    private static void Abort(HttpContext context, WebSocket socket)
    {
        socket.Abort();
        context.Abort();
    }

    /// <summary>Sends until the session's queue is completed and empty, or the lease's token fires: that ends the
    /// wait for frames and the loop after the send in flight, which it never cancels (cancelling a send aborts the
    /// WebSocket). Returns, when it closed the connection itself, the timer that cuts off a client that never
    /// answers the close; the caller disposes it once the receive loop ended.</summary>
    private async Task<IDisposable?> SendLoopAsync(WebSocket socket, Session session, SocketIoMetrics metrics, TransportLease lease)
    {
        var outbound = session.Outbound;
        var stopping = lease.Token;
        try
        {
            while (!stopping.IsCancellationRequested && await outbound.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                if (!outbound.TryRead(out var first))
                {
                    continue;
                }

                if (!outbound.TryPeek(out _))
                {
                    // One frame: send the shared encoded bytes as they are, no copy.
                    await socket.SendAsync(first, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                    metrics.MessagesSent(Name, 1);
                    continue;
                }

                // Several frames: 0.6 framing lets them go out together, so gather everything queued into one
                // pooled buffer and send one WebSocket message.
                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(SendChunk, first.Length * 2));
                var length = 0;
                var count = 0;
                try
                {
                    var frame = first;
                    do
                    {
                        if (length + frame.Length > buffer.Length)
                        {
                            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + frame.Length));
                            buffer.AsSpan(0, length).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }

                        frame.CopyTo(buffer, length);
                        length += frame.Length;
                        count++;
                    }
                    while (length < MaxSendBatch && outbound.TryRead(out frame));

                    await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                metrics.MessagesSent(Name, count);
            }

            if (stopping.IsCancellationRequested)
            {
                return null; // told to stop: the caller closes the connection, or leaves the queue to the next one
            }

            // The session ended and everything queued for it went out: close the connection (spec pitfall 13). The
            // lease's bound on the session's end has been met, unless it already cut the connection off.
            await CloseOutputQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, "The session ended.").ConfigureAwait(false);
            lease.StopDeadline();
            if (lease.WasCutOff)
            {
                return null;
            }

            // A client that never answers the close is not waited for: cut it off after 5 s (one timer, only now).
            var closeTimeout = new CancellationTokenSource(CloseHandshakeTimeout);
            closeTimeout.Token.UnsafeRegister(static state => ((WebSocket)state!).Abort(), socket);
            return closeTimeout;
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException exception)
        {
            LogSendFailed(session.Id, exception.Message);
        }
        catch (IOException exception)
        {
            LogSendFailed(session.Id, exception.Message);
        }

        return null;
    }

    /// <summary>Reads messages until the connection closes. Returns a close status when this side must close it
    /// because of what the client sent.</summary>
    private async Task<(WebSocketCloseStatus? Status, string Description, bool ClosedByWebSocket)> ReceiveLoopAsync(WebSocket socket, Session session, long maxMessageSize, CancellationToken cancellationToken)
    {
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                // Wait for data without holding a buffer: an idle session costs no receive memory.
                var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    return (null, string.Empty, false);
                }

                if (first.MessageType == WebSocketMessageType.Binary)
                {
                    return (WebSocketCloseStatus.InvalidMessageType, "Socket.IO 0.6 messages are text frames.", false);
                }

                var buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
                var length = 0;
                var endOfMessage = first.EndOfMessage;
                try
                {
                    while (!endOfMessage)
                    {
                        if (length == buffer.Length)
                        {
                            if (length >= maxMessageSize)
                            {
                                return (WebSocketCloseStatus.MessageTooBig, $"A message may have at most {maxMessageSize} bytes.", false);
                            }

                            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxMessageSize + 1, (long)buffer.Length * 2));
                            buffer.AsSpan(0, length).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }

                        var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            return (null, string.Empty, false);
                        }

                        length += result.Count;
                        endOfMessage = result.EndOfMessage;
                        if (length > maxMessageSize)
                        {
                            return (WebSocketCloseStatus.MessageTooBig, $"A message may have at most {maxMessageSize} bytes.", false);
                        }
                    }

                    string payload;
                    try
                    {
                        payload = StrictUtf8.GetString(buffer, 0, length);
                    }
                    catch (DecoderFallbackException)
                    {
                        return (WebSocketCloseStatus.InvalidPayloadData, "A text message must be valid UTF-8.", false);
                    }

                    LogReceived(session.Id, length);
                    string? problem;
                    try
                    {
                        problem = await session.ReceiveAsync(payload, normalizeNewlines: false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (InvalidPayloadException exception)
                    {
                        // None of the payload was used: say why (1008 over a limit, 1007 malformed) and close.
                        return (exception.OverLimit ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.InvalidPayloadData,
                            CloseReason(exception.Message), false);
                    }

                    if (problem is not null)
                    {
                        LogPayloadNotHandled(session.Id, problem);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException exception)
        {
            LogReceiveFailed(session.Id, exception.Message);
            if (exception.WebSocketErrorCode == WebSocketError.Faulted)
            {
                return (null, string.Empty, true);
            }
        }
        catch (IOException exception)
        {
            LogReceiveFailed(session.Id, exception.Message);
        }

        return (null, string.Empty, false);
    }

    // A close reason may have at most 123 UTF-8 bytes (RFC 6455 §5.5).
    private static string CloseReason(string text)
    {
        while (Encoding.UTF8.GetByteCount(text) > 123)
        {
            text = text[..^1];
        }

        return text;
    }

    private static async Task WaitForClientToHangUpAsync(CancellationToken requestAborted)
    {
        try
        {
            await Task.Delay(CloseHandshakeTimeout, requestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sends the close frame, then reads (and discards) until the client's close reply or EOF, at most the
    /// close-handshake timeout. Returning earlier would let the request end and the connection be torn down with
    /// the client's in-flight frames unread: the kernel then answers with a reset and the client may never see the
    /// close frame. Only the protocol-error path pays for this, so the timer exists only while closing.</summary>
    private static async Task CloseAndAwaitReplyAsync(WebSocket socket, WebSocketCloseStatus status, string description)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
        try
        {
            await socket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
            while (socket.State is WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CloseOutputQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string description)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            await socket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(100, LogLevel.Trace, "Session {SessionId} received a WebSocket message of {Length} bytes.")]
    private partial void LogReceived(string sessionId, int length);

    [LoggerMessage(101, LogLevel.Debug, "Session {SessionId} sent a payload that was not handled: {Problem}")]
    private partial void LogPayloadNotHandled(string sessionId, string problem);

    [LoggerMessage(102, LogLevel.Debug, "Closing the WebSocket of session {SessionId} with {Status}: {Description}")]
    private partial void LogClosing(string sessionId, int status, string description);

    [LoggerMessage(103, LogLevel.Debug, "Sending to session {SessionId} failed: {Reason}")]
    private partial void LogSendFailed(string sessionId, string reason);

    [LoggerMessage(104, LogLevel.Debug, "Receiving from session {SessionId} failed: {Reason}")]
    private partial void LogReceiveFailed(string sessionId, string reason);

    [LoggerMessage(105, LogLevel.Debug, "Session {SessionId} did not read the message being sent within {Seconds} s of the close: the connection is cut off.")]
    private partial void LogSendAbandoned(string sessionId, int seconds);
}
