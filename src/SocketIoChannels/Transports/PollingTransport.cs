using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>
/// Long polling (docs/protocol-0.6.md §3.5, §3.6): a GET attaches and is answered at once with everything queued, or held until
/// something is sent or the poll duration passes; a newer GET supersedes a held one, which is answered empty. POSTs
/// and preflights are answered by <see cref="HttpTransport"/>.
/// </summary>
internal abstract partial class PollingTransport : HttpTransport
{
    private readonly ILogger logger;

    protected PollingTransport(ILogger logger) : base(logger)
    {
        this.logger = logger;
    }

    /// <summary>Checks the request before a session is created or attached (e.g. the jsonp callback index).</summary>
    protected virtual void ValidatePoll(HttpContext context, TransportRequest request)
    {
    }

    /// <summary>Writes the answer to a poll: the payload (UTF-8 bytes of its frames, possibly none).</summary>
    protected abstract Task WritePollAsync(HttpContext context, TransportRequest request, ReadOnlyMemory<byte[]> frames);

    protected override Task GetAsync(HttpContext context, TransportRequest request) => PollAsync(context, request);

    private async Task PollAsync(HttpContext context, TransportRequest request)
    {
        ValidatePoll(context, request);
        var session = request.Session ?? request.CreateSession();
        var lease = session?.Attach(isPoll: true);
        if (session is null || lease is null)
        {
            context.Abort();
            return;
        }

        ResponseBodyBypass.Apply(context);
        byte[][] frames = [];
        var count = 0;
        var written = false;
        try
        {
            (frames, count) = await TakeFramesAsync(context, session, lease).ConfigureAwait(false);
            session.Detach(lease);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return; // the frames go back to the queue (finally)
            }

            LogPollAnswered(session.Id, count);
            written = await WrittenAsync(context, WritePollAsync(context, request, frames.AsMemory(0, count))).ConfigureAwait(false);
            request.Metrics.MessagesSent(Name, count);
        }
        finally
        {
            if (count > 0)
            {
                session.Settle(lease, written);
                ArrayPool<byte[]>.Shared.Return(frames, clearArray: true);
            }
        }
    }

    /// <summary>Whether the answer <paramref name="writing"/> reached the connection. Aborted at any point of the
    /// write, the client may not have the frames, so they are sent again (a client that did get them may see them
    /// twice, never out of order). An answer that went out at once, as a poll's usually does, is decided by the
    /// abort token at once; one that had to wait for the client may have been cut off under it (see
    /// <see cref="CutOffWrites"/>).</summary>
    private static async ValueTask<bool> WrittenAsync(HttpContext context, Task writing)
    {
        if (!writing.IsCompletedSuccessfully)
        {
            await writing.ConfigureAwait(false);
            return await CutOffWrites.WentOutAsync(CutOffWrites.SocketOf(context), context.RequestAborted).ConfigureAwait(false);
        }

        return !context.RequestAborted.IsCancellationRequested;
    }

    /// <summary>Waits for frames until the poll duration passes, a newer poll takes over or the client goes away,
    /// then takes what is queued (nothing when superseded or aborted). Waits first for the batch of the poll before
    /// this one, which may come back to the queue. Frames taken are in an array of the shared pool.</summary>
    internal static async Task<(byte[][] Frames, int Count)> TakeFramesAsync(HttpContext context, ITransportSession session, TransportLease lease)
    {
        // The client going away ends this poll's lease, as the poll duration, a newer poll or the session's end do:
        // one registration, no linked source per poll.
        using var aborted = context.RequestAborted.UnsafeRegister(static state => ((TransportLease)state!).Cancel(), lease);
        var token = lease.Token;
        while (true)
        {
            try
            {
                if (!session.Outbound.TryPeek(out _))
                {
                    await session.Outbound.WaitToReadAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The poll duration passed, a newer poll took over, or the client went away.
            }

            if (lease.Superseded || context.RequestAborted.IsCancellationRequested || !session.Outbound.TryPeek(out _))
            {
                return ([], 0);
            }

            var frames = ArrayPool<byte[]>.Shared.Rent(Math.Max(16, session.Outbound.Count));
            var count = session.TakeFrames(lease, frames, int.MaxValue, out var settled);
            if (count > 0)
            {
                return (frames, count);
            }

            ArrayPool<byte[]>.Shared.Return(frames, clearArray: true);
            if (settled is null)
            {
                return ([], 0);
            }

            try
            {
                await settled.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return ([], 0);
            }
        }
    }

    [LoggerMessage(110, LogLevel.Trace, "Poll of session {SessionId} answered with {Count} frames.")]
    private partial void LogPollAnswered(string sessionId, int count);
}
