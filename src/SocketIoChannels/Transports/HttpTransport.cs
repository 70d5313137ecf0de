using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace SocketIoChannels.Transports;

/// <summary>
/// What every HTTP transport shares (docs/protocol-0.6.md §3.3–§3.6): a GET opens or resumes the session's downstream, a POST
/// carries client messages in the urlencoded form field <c>data</c>, whatever its Content-Type, and is answered
/// <c>ok</c>, and an OPTIONS preflight is answered with the CORS headers of the transport.
/// </summary>
internal abstract partial class HttpTransport : ISocketIoTransport
{
    private readonly ILogger logger;

    protected HttpTransport(ILogger logger)
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
            return GetAsync(context, request);
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

    /// <summary>Serves a GET: attaches to (or creates) the session and writes what it has to send.</summary>
    protected abstract Task GetAsync(HttpContext context, TransportRequest request);

    /// <summary>Adds CORS headers to an answer (none by default).</summary>
    protected virtual void AddCorsHeaders(HttpContext context)
    {
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
            // Broken framing keeps the messages before it and drops the rest (logged), as the 0.6 decoder does: a 0.6
            // client cannot act on an error status (jsonp posts through a hidden form; xhr-polling drops its
            // session on one).
            var problem = await session.ReceiveAsync(payload, PostsFromTextarea, keepDecodedOnMalformed: true, context.RequestAborted).ConfigureAwait(false);
            if (problem is not null)
            {
                LogPayloadNotHandled(session.Id, problem);
            }
        }

        AddCorsHeaders(context);
        await OkAnswer.WriteAsync(context, "text/plain").ConfigureAwait(false);
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

        return OkAnswer.WriteAsync(context, "text/plain");
    }

    /// <summary>Reads a urlencoded body whatever its Content-Type (XDomainRequest sends none) and returns the
    /// decoded <c>data</c> field, or <see langword="null"/> when there is none. A body over the limit is a 413.</summary>
    internal static Task<string?> ReadDataFieldAsync(HttpRequest request, long maxMessageSize) =>
        RequestBody.ReadAsync(request, maxMessageSize, static (body, length) => FormField.Find(body.AsSpan(0, length), "data"u8));

    [LoggerMessage(111, LogLevel.Debug, "A POST to session {SessionId} had no data field.")]
    private partial void LogMissingData(string sessionId);

    [LoggerMessage(112, LogLevel.Debug, "Session {SessionId} posted a payload that was not handled: {Problem}")]
    private partial void LogPayloadNotHandled(string sessionId, string problem);
}
