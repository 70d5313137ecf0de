using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>
/// The WebSockets of 2010 on the websocket and flashsocket URLs (spec §3.1, §3.2): hixie-76 (Flash's
/// web-socket-js and old browsers; <c>Sec-WebSocket-Key1/2</c> and an 8-byte key3 answered with an MD5) and
/// hixie-75 (no keys), told apart from RFC 6455 by their headers and upgraded through Kestrel's
/// <see cref="IHttpUpgradeFeature"/>. Frames are <c>0x00</c>, UTF-8 text, <c>0xFF</c>; <c>0xFF 0x00</c> closes.
/// As on RFC 6455: one receive loop that holds no buffer while idle (zero-byte reads) and one send loop, the only
/// writer, which sends everything queued as one frame.
/// </summary>
internal sealed partial class HixieWebSocketTransport
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] CloseFrame = [0xFF, 0x00];
    private static readonly TimeSpan Key3Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseHandshakeTimeout = TransportLease.CloseTimeout;

    // The lease's cut-off (a static lambda: no delegate per connection): aborting the connection completes a write
    // that waits for the client, and ends the receive loop.
    private static readonly Action<object?> CutOffConnection = static state => ((HttpContext)state!).Abort();
    private readonly ILogger<HixieWebSocketTransport> logger;

    public HixieWebSocketTransport(ILogger<HixieWebSocketTransport> logger)
    {
        this.logger = logger;
    }

    /// <summary>Whether the request is a hixie-75/76 upgrade: <c>Upgrade: WebSocket</c> without the
    /// <c>Sec-WebSocket-Key</c> and <c>Sec-WebSocket-Version</c> of RFC 6455.</summary>
    public static bool IsHixieRequest(HttpContext context)
    {
        var headers = context.Request.Headers;
        return HttpMethods.IsGet(context.Request.Method)
            && string.Equals(headers.Upgrade, "WebSocket", StringComparison.OrdinalIgnoreCase)
            && StringValues.IsNullOrEmpty(headers.SecWebSocketKey)
            && StringValues.IsNullOrEmpty(headers.SecWebSocketVersion);
    }

    public async Task ProcessRequestAsync(HttpContext context, TransportRequest request, string transportName)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is null || !upgrade.IsUpgradableRequest)
        {
            throw new TransportException(StatusCodes.Status400BadRequest, "The " + transportName + " transport needs an upgradable HTTP/1.1 request (Connection: Upgrade).");
        }

        var headers = context.Request.Headers;
        var draft76 = headers.ContainsKey("Sec-WebSocket-Key1") || headers.ContainsKey("Sec-WebSocket-Key2");
        uint key1 = 0, key2 = 0;
        if (draft76)
        {
            if (!HixieHandshake.TryParseKey(headers["Sec-WebSocket-Key1"], out key1))
            {
                throw new TransportException(StatusCodes.Status400BadRequest, "Sec-WebSocket-Key1 is not a valid hixie-76 key: it needs digits and spaces, the number a whole multiple of the spaces.");
            }

            if (!HixieHandshake.TryParseKey(headers["Sec-WebSocket-Key2"], out key2))
            {
                throw new TransportException(StatusCodes.Status400BadRequest, "Sec-WebSocket-Key2 is not a valid hixie-76 key: it needs digits and spaces, the number a whole multiple of the spaces.");
            }
        }

        var prefix = draft76 ? "Sec-WebSocket-" : "WebSocket-";
        var response = context.Response;
        response.Headers.Upgrade = "WebSocket";
        if (!StringValues.IsNullOrEmpty(headers.Origin))
        {
            response.Headers[prefix + "Origin"] = headers.Origin;
        }

        var req = context.Request;
        response.Headers[prefix + "Location"] = (req.IsHttps ? "wss://" : "ws://") + req.Host + req.PathBase + req.Path + req.QueryString;
        if (!StringValues.IsNullOrEmpty(headers.SecWebSocketProtocol))
        {
            response.Headers[prefix + "Protocol"] = headers.SecWebSocketProtocol;
        }

        // The drafts' status lines. Kestrel's UpgradeAsync sets "Switching Protocols" before it starts the response,
        // so the phrase is set again just before the status line is written.
        var responseFeature = context.Features.Get<IHttpResponseFeature>();
        if (responseFeature is not null)
        {
            var reasonPhrase = draft76 ? "WebSocket Protocol Handshake" : "Web Socket Protocol Handshake";
            responseFeature.ReasonPhrase = reasonPhrase;
            response.OnStarting(() =>
            {
                responseFeature.ReasonPhrase = reasonPhrase;
                return Task.CompletedTask;
            });
        }

        // The 101 goes out before key3 has to arrive (spec §3.1, for proxies that wait for it).
        await using var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        try
        {
            if (draft76 && !await AnswerChallengeAsync(reader, stream, key1, key2, context.RequestAborted).ConfigureAwait(false))
            {
                return;
            }

            await RunAsync(context, stream, reader, request).ConfigureAwait(false);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> AnswerChallengeAsync(PipeReader reader, Stream stream, uint key1, uint key2, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(Key3Timeout);
        try
        {
            var result = await reader.ReadAtLeastAsync(8, timeout.Token).ConfigureAwait(false);
            if (result.Buffer.Length < 8)
            {
                LogNoKey3(result.Buffer.Length);
                return false;
            }

            var key3 = result.Buffer.Slice(0, 8).ToArray();
            reader.AdvanceTo(result.Buffer.GetPosition(8));
            await stream.WriteAsync(HixieHandshake.ComputeAnswer(key1, key2, key3), aborted).ConfigureAwait(false);
            await stream.FlushAsync(aborted).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            LogNoKey3(0);
            return false;
        }
        catch (IOException)
        {
            LogNoKey3(0);
            return false;
        }
    }

    private async Task RunAsync(HttpContext context, Stream stream, PipeReader reader, TransportRequest request)
    {
        var session = request.Session ?? request.CreateSession();
        var lease = session?.Attach(isPoll: false, CutOffConnection, context);
        if (session is null || lease is null)
        {
            await WriteQuietlyAsync(stream, CloseFrame).ConfigureAwait(false); // the server is stopping
            return;
        }

        try
        {
            await ServeAsync(context, stream, reader, session, lease, request).ConfigureAwait(false);
        }
        finally
        {
            // After this the lease's cut-off callback cannot run: the request may end.
            lease.StopDeadline();
            if (lease.WasCutOff)
            {
                // The session ended while a write was in flight to a client that did not read it, nor the rest and
                // the close frame, within the close-handshake timeout.
                LogSendAbandoned(session.Id, (int)CloseHandshakeTimeout.TotalSeconds);
            }
        }
    }

    private async Task ServeAsync(HttpContext context, Stream stream, PipeReader reader, Session session, TransportLease lease, TransportRequest request)
    {
        // stopSending ends the send loop's wait for frames, never a write in flight: the close frame follows the
        // frame being written, by the one writer, and only a client that does not read is cut off (StopSendingAsync,
        // or the lease once the session has ended: see TransportLease).
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(lease.Token);
        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(lease.Token);
        var sending = SendLoopAsync(stream, session, lease, request.Metrics, stopReceiving, stopSending.Token);
        var (closeReceived, problem) = await ReceiveLoopAsync(reader, session, request.MaxMessageSize, stopReceiving.Token).ConfigureAwait(false);
        if (lease.Token.IsCancellationRequested && !session.IsAlive)
        {
            context.Abort(); // dropped (slow consumer, heartbeat timeout): cut it off at once, a write in flight too
        }

        if (problem is not null)
        {
            // The client broke the framing: close cleanly (0xFF 0x00) before the session ends.
            LogClosing(session.Id, problem);
            await StopSendingAsync(context, session, lease, stopSending, sending, stop: true).ConfigureAwait(false);
            await WriteQuietlyAsync(stream, CloseFrame).ConfigureAwait(false);
            await DrainUntilClosedAsync(reader).ConfigureAwait(false);
            session.Detach(lease);
            LogConnectionEnded(session.Id, session.IsAlive);
            return;
        }

        session.Detach(lease);
        LogConnectionEnded(session.Id, session.IsAlive);

        // When the session is alive, the client went away but may resume the session with its id: leave the queue
        // to the next connection.
        await StopSendingAsync(context, session, lease, stopSending, sending, stop: session.IsAlive).ConfigureAwait(false);
        if (lease.Token.IsCancellationRequested && !session.IsAlive)
        {
            context.Abort(); // dropped (slow consumer, heartbeat timeout): cut it off
        }
        else if (closeReceived)
        {
            await WriteQuietlyAsync(stream, CloseFrame).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the send loop to end, after telling it to stop taking frames when <paramref name="stop"/>.
    /// A write in flight is let finish, at most 5 s: a client that does not read is then cut off.</summary>
    private async Task StopSendingAsync(HttpContext context, Session session, TransportLease lease, CancellationTokenSource stopSending, Task sending, bool stop)
    {
        if (stop)
        {
            await stopSending.CancelAsync().ConfigureAwait(false);
        }

        if (!sending.IsCompleted)
        {
            try
            {
                await sending.WaitAsync(CloseHandshakeTimeout).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException)
            {
                if (!lease.WasCutOff)
                {
                    LogSendAbandoned(session.Id, (int)CloseHandshakeTimeout.TotalSeconds);
                }

                context.Abort(); // completes the write in flight
            }
        }

        await sending.ConfigureAwait(false);
    }

    /// <summary>Sends until the session's queue is completed and empty, or <paramref name="stopping"/> fires: that ends
    /// the wait for frames and the loop after the write in flight, which it never cancels.</summary>
    private async Task SendLoopAsync(Stream stream, Session session, TransportLease lease, SocketIoMetrics metrics, CancellationTokenSource stopReceiving, CancellationToken stopping)
    {
        var frames = new List<byte[]>();
        try
        {
            while (!stopping.IsCancellationRequested && await session.Outbound.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                frames.Clear();
                var length = 2;
                while (frames.Count < 1024 && session.Outbound.TryRead(out var frame))
                {
                    frames.Add(frame);
                    length += frame.Length;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    buffer[0] = 0x00;
                    var offset = 1;
                    foreach (var frame in frames)
                    {
                        frame.CopyTo(buffer, offset);
                        offset += frame.Length;
                    }

                    buffer[offset] = 0xFF;
                    await stream.WriteAsync(buffer.AsMemory(0, length), CancellationToken.None).ConfigureAwait(false);
                    await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                metrics.MessagesSent(session.Transport, frames.Count);
            }

            if (stopping.IsCancellationRequested)
            {
                return; // told to stop: the caller closes the connection, or leaves the queue to the next one
            }

            // The session ended and everything queued for it went out: close the connection (spec pitfall 13). The
            // lease's bound on the session's end has been met, unless it already cut the connection off.
            await stream.WriteAsync(CloseFrame, CancellationToken.None).ConfigureAwait(false);
            await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            lease.StopDeadline();
            if (!lease.WasCutOff)
            {
                stopReceiving.CancelAfter(CloseHandshakeTimeout); // a client that never answers the close is not waited for
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException exception)
        {
            LogSendFailed(session.Id, exception.Message);
        }
    }

    /// <summary>Reads frames until the connection ends. Returns whether the client sent its close frame, or the
    /// problem for which this side must close the connection.</summary>
    private async Task<(bool CloseReceived, string? Problem)> ReceiveLoopAsync(PipeReader reader, Session session, long maxMessageSize, CancellationToken cancellationToken)
    {
        long scanned = 0; // bytes of an unfinished frame already searched for its end, so none is searched twice
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = TryReadFrame(ref buffer, ref scanned, maxMessageSize, out var text, out var problem);
                    if (status == FrameStatus.NeedMore)
                    {
                        break;
                    }

                    if (status == FrameStatus.Close)
                    {
                        reader.AdvanceTo(buffer.Start);
                        return (true, null);
                    }

                    if (status == FrameStatus.Invalid)
                    {
                        reader.AdvanceTo(buffer.Start);
                        return (false, problem);
                    }

                    LogReceived(session.Id, text!.Length);
                    string? badPayload;
                    try
                    {
                        badPayload = await session.ReceiveAsync(text, normalizeNewlines: false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (InvalidPayloadException exception)
                    {
                        // Malformed or over a limit: none of it was used; hixie has no close codes, so close with the reason logged.
                        reader.AdvanceTo(buffer.Start);
                        return (false, exception.Message);
                    }

                    if (badPayload is not null)
                    {
                        LogPayloadNotHandled(session.Id, badPayload);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return (false, null);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException exception)
        {
            LogReceiveFailed(session.Id, exception.Message);
        }

        return (false, null);
    }

    private enum FrameStatus
    {
        Text,
        NeedMore,
        Close,
        Invalid,
    }

    /// <summary>Takes one frame off the front of <paramref name="buffer"/>. <paramref name="scanned"/> carries how
    /// much of an unfinished text frame was already searched for its end byte between reads.</summary>
    private static FrameStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, ref long scanned, long maxMessageSize, out string? text, out string? problem)
    {
        text = null;
        problem = null;
        if (buffer.IsEmpty)
        {
            return FrameStatus.NeedMore;
        }

        var type = buffer.FirstSpan[0];
        if (type == 0x00)
        {
            var end = buffer.Slice(1 + scanned).PositionOf((byte)0xFF);
            if (end is null)
            {
                scanned = buffer.Length - 1;
                if (scanned > maxMessageSize)
                {
                    problem = $"a frame may have at most {maxMessageSize} bytes";
                    return FrameStatus.Invalid;
                }

                return FrameStatus.NeedMore;
            }

            scanned = 0;
            var data = buffer.Slice(1, end.Value);
            if (data.Length > maxMessageSize)
            {
                problem = $"a frame may have at most {maxMessageSize} bytes";
                return FrameStatus.Invalid;
            }

            try
            {
                text = StrictUtf8.GetString(data);
            }
            catch (DecoderFallbackException)
            {
                problem = "a text frame must be valid UTF-8";
                return FrameStatus.Invalid;
            }

            buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
            return FrameStatus.Text;
        }

        if (type == 0xFF)
        {
            if (buffer.Length < 2)
            {
                return FrameStatus.NeedMore;
            }

            if (buffer.Slice(1, 1).FirstSpan[0] == 0x00)
            {
                buffer = buffer.Slice(2);
                return FrameStatus.Close;
            }
        }

        problem = $"frame type 0x{type:X2} is not a text frame (0x00 … 0xFF) or the close frame (0xFF 0x00)";
        return FrameStatus.Invalid;
    }

    /// <summary>After this side's close frame, discards what the client still sends until it hangs up, at most 5 s:
    /// ending the request with unread input would reset the connection and could lose the close frame.</summary>
    private static async Task DrainUntilClosedAsync(PipeReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static async Task WriteQuietlyAsync(Stream stream, byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    [LoggerMessage(130, LogLevel.Trace, "Session {SessionId} received a hixie WebSocket frame of {Length} characters.")]
    private partial void LogReceived(string sessionId, int length);

    [LoggerMessage(131, LogLevel.Debug, "Session {SessionId} sent a payload that was not handled: {Problem}")]
    private partial void LogPayloadNotHandled(string sessionId, string problem);

    [LoggerMessage(132, LogLevel.Debug, "The hixie WebSocket of session {SessionId} ended; the session is alive: {Alive}.")]
    private partial void LogConnectionEnded(string sessionId, bool alive);

    [LoggerMessage(133, LogLevel.Debug, "Closing the hixie WebSocket of session {SessionId}: {Problem}")]
    private partial void LogClosing(string sessionId, string problem);

    [LoggerMessage(134, LogLevel.Debug, "Sending to session {SessionId} failed: {Reason}")]
    private partial void LogSendFailed(string sessionId, string reason);

    [LoggerMessage(135, LogLevel.Debug, "Receiving from session {SessionId} failed: {Reason}")]
    private partial void LogReceiveFailed(string sessionId, string reason);

    [LoggerMessage(137, LogLevel.Debug, "Session {SessionId} did not read the frame being sent within {Seconds} s of the close: the connection is cut off.")]
    private partial void LogSendAbandoned(string sessionId, int seconds);

    [LoggerMessage(136, LogLevel.Debug, "A hixie-76 handshake was dropped: the 8-byte key3 did not arrive (got {Length} bytes).")]
    private partial void LogNoKey3(long length);
}
