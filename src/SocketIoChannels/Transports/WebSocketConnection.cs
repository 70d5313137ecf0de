using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>
/// The connection core every WebSocket flavour runs on, after its handshake: one receive loop that hands each
/// message to the session, one send loop (the only writer) that sends everything queued in batches, and the close
/// sequence. A flavour supplies only its framing (<see cref="IWebSocketReceiver{TWait}"/>).
/// </summary>
/// <remarks>
/// <para>One close timeout bounds every way a connection ends: the lease's (<see cref="TransportLease.CloseTimeout"/>,
/// on the session's <see cref="TimeProvider"/>). It starts when the session ends (the connection may write what is
/// left and its close) or when the receive loop ends (the client closed, broke the protocol, or went away), and
/// starts again once this side's close is written (the client may answer it); when it fires, the connection is cut
/// off, which completes every read and write in flight. An idle connection has no timer.</para>
/// <para>An idle connection keeps two async frames of this class: the send loop's, awaiting the session's queue,
/// and <see cref="ServeAsync"/>'s, awaiting the socket's own pending read (see
/// <see cref="IWebSocketReceiver{TWait}.WaitAsync"/>). Each suspended frame is a heap object per connection.</para>
/// <para>A send in flight is never cancelled to close: the close follows it, by the one writer. A client dropped by
/// the session (slow consumer, heartbeat timeout) or a connection superseded by a newer one is cut off at once.</para>
/// </remarks>
internal sealed class WebSocketConnection
{
    /// <summary>The most frames, and about the most bytes, one batch gathers from the queue.</summary>
    private const int MaxBatchFrames = 1024;
    private const int MaxBatchBytes = 256 * 1024;

    // The lease's cut-off (a static lambda: no delegate per connection).
    private static readonly Action<object?> CutOffConnection = static state => ((IWebSocketFraming)state!).Abort();

    // One batch array per thread, taken while a batch is out (when a send waits for the client, the next batch on
    // the thread makes another): no pool look-up per batch.
    [ThreadStatic]
    private static byte[][]? cachedFrames;

    private readonly IWebSocketFraming framing;
    private readonly ITransportSession session;
    private readonly TransportLease lease;
    private readonly TransportRequest request;
    private readonly ILogger logger;

    // The request's abort token, read once: reading it through the request's features on every batch costs a
    // feature look-up and Kestrel's lock per delivery.
    private readonly CancellationToken aborted;

    // The connection's socket when Kestrel runs on its sockets transport (null on others): see CutOffWrites.
    private readonly Socket? socket;

    private WebSocketConnection(IWebSocketFraming framing, ITransportSession session, TransportLease lease, TransportRequest request, ILogger logger)
    {
        this.framing = framing;
        this.session = session;
        this.lease = lease;
        this.request = request;
        this.logger = logger;
        aborted = request.Context.RequestAborted;
        socket = CutOffWrites.SocketOf(request.Context);
    }

    /// <summary>Attaches the connection to its session (a new one unless the request named one) and serves it
    /// until it ends.</summary>
    public static Task RunAsync<TWait>(IWebSocketReceiver<TWait> framing, TransportRequest request, ILogger logger) =>
        RunAsync(framing, request.Session ?? request.CreateSession(), request, logger);

    /// <summary>Attaches the connection to <paramref name="session"/> (a 0.6 session or an Engine.IO session;
    /// <see langword="null"/> while the host is stopping) and serves it until it ends.</summary>
    public static Task RunAsync<TWait>(IWebSocketReceiver<TWait> framing, ITransportSession? session, TransportRequest request, ILogger logger)
    {
        var lease = session?.Attach(isPoll: false, CutOffConnection, framing);
        if (session is null || lease is null)
        {
            return framing.SendCloseAsync(WebSocketCloseStatus.EndpointUnavailable, "The server is stopping.").AsTask();
        }

        return new WebSocketConnection(framing, session, lease, request, logger).ServeAsync(framing);
    }

    /// <summary>The receive loop, then the close.</summary>
    private async Task ServeAsync<TWait>(IWebSocketReceiver<TWait> receiver)
    {
        try
        {
            // The send loop runs without the request's execution context (its logging scope, its Activity): it
            // wakes once per batch sent, and restoring that context on every wake-up was 2.4-2.9% of the server's
            // CPU in the fan-out profiles (bench/README.md). Its few log lines name the session.
            Task sending;
            using (ExecutionContext.SuppressFlow())
            {
                sending = SendLoopAsync();
            }

            var cancellationToken = lease.Token;
            while (true)
            {
                // Idle here: awaiting the socket's own pending read, with no frame of the flavour's in between. The
                // read is consumed once: here when it has to wait (what it returned or threw goes on as a completed
                // one), else by ReceiveAsync.
#pragma warning disable CA2012
                ValueTask<TWait> waited;
                try
                {
                    waited = receiver.WaitAsync(cancellationToken);
                    if (!waited.IsCompleted)
                    {
                        waited = new(await waited.ConfigureAwait(false));
                    }
                }
                catch (Exception exception)
                {
                    waited = ValueTask.FromException<TWait>(exception);
                }
#pragma warning restore CA2012

                if (await ReceiveAsync(receiver, waited, cancellationToken).ConfigureAwait(false) is { } last)
                {
                    await CloseAsync(last, sending).ConfigureAwait(false);
                    return;
                }
            }
        }
        finally
        {
            // After this the lease's cut-off callback cannot run: the request may end.
            lease.StopDeadline();
            if (lease.WasCutOff)
            {
                logger.CutOff(session.Id, framing.Name, (int)TransportLease.CloseTimeout.TotalSeconds);
                framing.Abort();
            }
        }
    }

    /// <summary>Reads the message whose start <paramref name="waited"/> saw (text; binary on Engine.IO) and hands it
    /// to the session; returns what ends the receive loop, or <see langword="null"/> to read on.</summary>
    private async ValueTask<WebSocketInbound?> ReceiveAsync<TWait>(IWebSocketReceiver<TWait> receiver, ValueTask<TWait> waited, CancellationToken cancellationToken)
    {
        var inbound = await receiver.ReceiveAsync(waited, cancellationToken).ConfigureAwait(false);
        if (inbound.Kind is not (WebSocketInboundKind.Text or WebSocketInboundKind.Binary))
        {
            if (inbound.Kind is WebSocketInboundKind.Ended or WebSocketInboundKind.ClosedByFraming && inbound.Reason is { } reason)
            {
                logger.ReceiveFailed(session.Id, reason);
            }

            return inbound;
        }

        logger.Received(session.Id, framing.Name, inbound.Length);
        string? problem;
        try
        {
            problem = await session.ReceiveMessageAsync(inbound.Text, inbound.Binary, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidPayloadException exception)
        {
            // None of the payload was used: say why (1008 over a limit, 1007 malformed) and close.
            return WebSocketInbound.Invalid(exception.OverLimit ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.InvalidPayloadData, exception.Message);
        }
        catch (OperationCanceledException)
        {
            return WebSocketInbound.Ended();
        }

        if (problem is not null)
        {
            logger.PayloadNotHandled(session.Id, problem);
        }

        return null;
    }

    /// <summary>After the receive loop: the close sequence, bounded by the one close timeout.</summary>
    private async Task CloseAsync(WebSocketInbound inbound, Task sending)
    {
        // From here on the connection is closing: the one close timeout bounds all that follows.
        lease.StartDeadline();
        if (lease.Token.IsCancellationRequested)
        {
            framing.Abort(); // dropped (slow consumer, heartbeat timeout) or superseded: at once, a send in flight too
        }

        if (inbound.Kind == WebSocketInboundKind.Invalid)
        {
            // The client broke the protocol: say why with the close, after the send in flight, by the one writer,
            // then read until the client answers: ending the request with its frames unread would reset the
            // connection and could lose the close.
            logger.Closing(framing.Name, session.Id, framing.DescribeClose(inbound.Status), inbound.Reason!);
            lease.Cancel();
            await sending.ConfigureAwait(false);
            await framing.SendCloseAsync(inbound.Status, inbound.Reason!).ConfigureAwait(false);
            lease.RestartDeadline(); // the client has the close timeout to answer
            await framing.DrainAsync().ConfigureAwait(false);
            session.Detach(lease);
            logger.Ended(framing.Name, session.Id, session.IsAlive);
            return;
        }

        if (inbound.Kind == WebSocketInboundKind.ClosedByFraming)
        {
            // Its close is written but must not be cut off by a reset: keep the connection until the client hangs up.
            await WaitForHangUpAsync().ConfigureAwait(false);
        }

        session.Detach(lease);
        logger.Ended(framing.Name, session.Id, session.IsAlive);

        // When the session is alive, the client went away but may resume the session with its id: leave the queue
        // to the next connection. When it ended, let the send loop write what is left and the close.
        if (session.IsAlive)
        {
            lease.Cancel();
        }

        await sending.ConfigureAwait(false);
        if (!session.IsAlive && session.EndReason is SessionEndReason.SlowConsumer or SessionEndReason.Timeout)
        {
            framing.Abort();
        }
        else if (inbound.Kind == WebSocketInboundKind.ClientClosed)
        {
            await framing.SendCloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
        }
    }

    /// <summary>Sends until the session's queue is completed and empty, then closes; or until the lease's token
    /// fires, which ends the wait for frames, never a send in flight.</summary>
    private async Task SendLoopAsync()
    {
        var outbound = session.Outbound;
        var stopping = lease.Token;
        try
        {
            while (!stopping.IsCancellationRequested && await outbound.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                if (!await SendBatchAsync(stopping).ConfigureAwait(false))
                {
                    return; // the connection was cut off: its frames went back to the queue
                }
            }

            if (!stopping.IsCancellationRequested)
            {
                // The session ended and everything queued for it went out: close the connection.
                await framing.SendCloseAsync(WebSocketCloseStatus.NormalClosure, "The session ended.").ConfigureAwait(false);
                lease.RestartDeadline(); // the client has the close timeout to answer
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
            logger.SendFailed(session.Id, exception.Message);
        }
        catch (Exception exception)
        {
            // Not the connection going away: a defect. A connection left open with no writer would keep its client
            // waiting for ever; cut it off instead, so the client comes back (the batch in flight went back to the
            // queue, for the resumed connection), and say what broke.
            logger.SendLoopFailed(exception, framing.Name, session.Id);
            framing.Abort();
        }
    }

    /// <summary>Takes what is queued (up to a batch) and sends it: 0.6 framing lets frames go out together; returns
    /// <see langword="false"/> when the connection was cut off during the send. A batch whose send did not complete
    /// goes back to the front of the session's queue (see
    /// <see cref="Session.TakeFrames"/>), for a connection that resumes the session.</summary>
    private async Task<bool> SendBatchAsync(CancellationToken stopping)
    {
        var frames = cachedFrames ?? new byte[MaxBatchFrames][];
        cachedFrames = null;
        var count = 0;
        var sent = false;
        try
        {
            count = session.TakeFrames(lease, frames, MaxBatchBytes, out var settled);
            if (settled is not null)
            {
                // The connection before this one is still sending a batch that may come back: wait for it.
                await settled.WaitAsync(stopping).ConfigureAwait(false);
                return true;
            }

            if (count == 0)
            {
                await Task.Yield(); // superseded: the lease's token fires at once
                return true;
            }

            var length = 0;
            for (var i = 0; i < count; i++)
            {
                length += frames[i].Length;
            }

            var sending = framing.SendAsync(frames.AsMemory(0, count), length);
            if (sending.IsCompletedSuccessfully)
            {
                sent = !aborted.IsCancellationRequested;
            }
            else
            {
                // The send waited for the client: it may have been cut off under it (see CutOffWrites). Aborted at
                // any point of the send, the client may not have the frames, so they go back (it may see them twice,
                // never out of order).
                await sending.ConfigureAwait(false);
                sent = await CutOffWrites.WentOutAsync(socket, aborted).ConfigureAwait(false);
            }

            if (sent)
            {
                request.Metrics.MessagesSent(request.TransportName, count);
            }

            return sent;
        }
        finally
        {
            if (count > 0)
            {
                session.Settle(lease, sent);
            }

            // Only the slots this batch used hold frames: clearing all 1,024 (8 KB) cost more than the rest of a
            // one-frame batch's bookkeeping.
            Array.Clear(frames, 0, count);
            cachedFrames = frames;
        }
    }

    private async Task WaitForHangUpAsync()
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
