using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>
/// Long polling (spec §3.5, §3.6): a GET attaches and is answered at once with everything queued, or held until
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
    protected abstract Task WritePollAsync(HttpContext context, TransportRequest request, List<byte[]> frames);

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
        var frames = new List<byte[]>();
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(lease.Token, context.RequestAborted))
        {
            try
            {
                if (!session.Outbound.TryPeek(out _))
                {
                    await session.Outbound.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The poll duration passed, a newer poll took over, or the client went away.
            }

            if (!lease.Superseded && !context.RequestAborted.IsCancellationRequested)
            {
                while (session.Outbound.TryRead(out var frame))
                {
                    frames.Add(frame);
                }
            }
        }

        session.Detach(lease);
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        LogPollAnswered(session.Id, frames.Count);
        await WritePollAsync(context, request, frames).ConfigureAwait(false);
    }

    [LoggerMessage(110, LogLevel.Trace, "Poll of session {SessionId} answered with {Count} frames.")]
    private partial void LogPollAnswered(string sessionId, int count);
}
