using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Transports;

/// <summary>
/// A GET whose response stays open and carries one part per payload, flushed at once (htmlfile, xhr-multipart;
/// docs/protocol-0.6.md §3.3, §3.4). The session is attached while the response is open, so it gets heartbeats as on websocket.
/// One writer per response: the loop below, which sends everything queued as one payload and holds no buffer of
/// its own while idle.
/// </summary>
internal abstract partial class StreamingHttpTransport : HttpTransport
{
    private const int MaxFramesPerPayload = 1024;
    private readonly ILogger logger;

    protected StreamingHttpTransport(ILogger logger) : base(logger)
    {
        this.logger = logger;
    }

    /// <summary>The Content-Type of the streaming response.</summary>
    protected abstract string ContentType { get; }

    /// <summary>What the response starts with, flushed before the first payload.</summary>
    protected abstract ReadOnlyMemory<byte> Prelude { get; }

    /// <summary>Writes one payload (the UTF-8 bytes of its frames, in order) as one part.</summary>
    protected abstract void WritePayload(IBufferWriter<byte> writer, List<byte[]> frames);

    protected override async Task GetAsync(HttpContext context, TransportRequest request)
    {
        var session = request.Session ?? request.CreateSession();
        var lease = session?.Attach(isPoll: false);
        if (session is null || lease is null)
        {
            context.Abort();
            return;
        }

        ResponseBodyBypass.Apply(context);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        AddCorsHeaders(context);
        var writer = response.BodyWriter;
        var frames = new List<byte[]>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(lease.Token, context.RequestAborted))
        {
            try
            {
                await writer.WriteAsync(Prelude, stop.Token).ConfigureAwait(false);
                while (await session.Outbound.WaitToReadAsync(stop.Token).ConfigureAwait(false))
                {
                    frames.Clear();
                    while (frames.Count < MaxFramesPerPayload && session.Outbound.TryRead(out var frame))
                    {
                        frames.Add(frame);
                    }

                    WritePayload(writer, frames);
                    var flushed = await writer.FlushAsync(stop.Token).ConfigureAwait(false);
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        break;
                    }

                    request.Metrics.MessagesSent(Name, frames.Count);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away, a newer GET took the session over, or the session was dropped.
            }
            catch (IOException exception)
            {
                LogSendFailed(session.Id, Name, exception.Message);
            }
        }

        session.Detach(lease);
        LogStreamEnded(session.Id, Name, session.IsAlive);
        if (lease.Token.IsCancellationRequested && !session.IsAlive)
        {
            context.Abort(); // dropped (slow consumer, heartbeat timeout): cut it off
        }
    }

    [LoggerMessage(120, LogLevel.Debug, "The {Transport} stream of session {SessionId} ended; the session is alive: {Alive}.")]
    private partial void LogStreamEnded(string sessionId, string transport, bool alive);

    [LoggerMessage(121, LogLevel.Debug, "Sending to session {SessionId} over {Transport} failed: {Reason}")]
    private partial void LogSendFailed(string sessionId, string transport, string reason);
}
