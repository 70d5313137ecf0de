using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>
/// Long polling (spec §3.5, §3.6): a GET attaches and is answered at once with everything queued, or held until
/// something is sent or the poll duration passes; a newer GET supersedes a held one, which is answered empty. A POST
/// carries client messages in the urlencoded form field <c>data</c>, whatever its Content-Type, and is answered
/// <c>ok</c>.
/// </summary>
internal abstract partial class PollingTransport : ISocketIoTransport
{
    private readonly ILogger logger;

    protected PollingTransport(ILogger logger)
    {
        this.logger = logger;
    }

    public abstract string Name { get; }

    /// <summary>Whether POSTs come from a form's textarea (jsonp), where line breaks arrive as CR LF.</summary>
    protected virtual bool PostsFromTextarea => false;

    public Task ProcessRequestAsync(HttpContext context, TransportRequest request)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method))
        {
            return PollAsync(context, request);
        }

        if (HttpMethods.IsPost(method))
        {
            return ReceiveAsync(context, request);
        }

        if (HttpMethods.IsOptions(method))
        {
            return PreflightAsync(context);
        }

        throw new TransportException(StatusCodes.Status405MethodNotAllowed, "The " + Name + " transport answers GET, POST and OPTIONS.");
    }

    /// <summary>Checks the request before a session is created or attached (e.g. the jsonp callback index).</summary>
    protected virtual void ValidatePoll(HttpContext context, TransportRequest request)
    {
    }

    /// <summary>Writes the answer to a poll: the payload (UTF-8 bytes of its frames, possibly none).</summary>
    protected abstract Task WritePollAsync(HttpContext context, TransportRequest request, List<byte[]> frames);

    /// <summary>Adds CORS headers to an answer (xhr-polling does, jsonp-polling does not).</summary>
    protected virtual void AddCorsHeaders(HttpContext context)
    {
    }

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

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
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
        request.Metrics.MessagesSent(Name, frames.Count);
    }

    private async Task ReceiveAsync(HttpContext context, TransportRequest request)
    {
        var session = request.Session;
        if (session is null)
        {
            throw new TransportException(StatusCodes.Status400BadRequest, "A POST needs the session id in its path: /" + Name + "/{sessionId}/send.");
        }

        var payload = await ReadDataFieldAsync(context.Request, request.MaxMessageSize).ConfigureAwait(false);
        if (payload is null)
        {
            LogMissingData(session.Id);
        }
        else
        {
            var problem = await session.ReceiveAsync(payload, PostsFromTextarea, context.RequestAborted).ConfigureAwait(false);
            if (problem is not null)
            {
                LogBadPayload(session.Id, problem);
            }
        }

        AddCorsHeaders(context);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
    }

    private Task PreflightAsync(HttpContext context)
    {
        AddCorsHeaders(context);
        var headers = context.Response.Headers;
        var requestHeaders = context.Request.Headers;
        headers.AccessControlAllowMethods = StringValues.IsNullOrEmpty(requestHeaders.AccessControlRequestMethod)
            ? new StringValues("GET, POST, OPTIONS")
            : requestHeaders.AccessControlRequestMethod;
        if (!StringValues.IsNullOrEmpty(requestHeaders.AccessControlRequestHeaders))
        {
            headers.AccessControlAllowHeaders = requestHeaders.AccessControlRequestHeaders;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("ok", context.RequestAborted);
    }

    /// <summary>Reads a urlencoded body whatever its Content-Type (XDomainRequest sends none) and returns the
    /// decoded <c>data</c> field, or <see langword="null"/> when there is none. A body over the limit is a 413.</summary>
    internal static async Task<string?> ReadDataFieldAsync(HttpRequest request, long maxMessageSize)
    {
        if (request.ContentLength > maxMessageSize)
        {
            throw new TransportException(StatusCodes.Status413PayloadTooLarge, $"The body may have at most {maxMessageSize} bytes.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxMessageSize)
                {
                    throw new TransportException(StatusCodes.Status413PayloadTooLarge, $"The body may have at most {maxMessageSize} bytes.");
                }
            }

            return FormField.Find(buffer.AsSpan(0, length), "data"u8);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(110, LogLevel.Trace, "Poll of session {SessionId} answered with {Count} frames.")]
    private partial void LogPollAnswered(string sessionId, int count);

    [LoggerMessage(111, LogLevel.Debug, "A POST to session {SessionId} had no data field.")]
    private partial void LogMissingData(string sessionId);

    [LoggerMessage(112, LogLevel.Debug, "Session {SessionId} posted a malformed payload; kept what decoded: {Problem}")]
    private partial void LogBadPayload(string sessionId, string problem);
}
