using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Server;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Hosting;

/// <summary>
/// Routes a request under <c>/{resource}/</c> to the client script or a transport (spec §2.1) and is the one place
/// that writes error statuses, as short plain text. The resource is matched as whole path segments; a path that
/// is not a transport is left to the rest of the app.
/// </summary>
internal sealed partial class SocketIoRequestDispatcher
{
    private readonly SocketIoServer server;
    private readonly ClientScript clientScript;
    private readonly FrozenDictionary<string, ISocketIoTransport> transports;
    private readonly string resourcePrefix;
    private readonly long maxMessageSize;
    private readonly ILogger<SocketIoRequestDispatcher> logger;
    private readonly SocketIoMetrics metrics;

    public SocketIoRequestDispatcher(SocketIoServer server, ClientScript clientScript, IEnumerable<ISocketIoTransport> transports,
        IOptions<SocketIoOptions> options, SocketIoMetrics metrics, ILogger<SocketIoRequestDispatcher> logger)
    {
        this.metrics = metrics;
        this.server = server;
        this.clientScript = clientScript;
        this.transports = transports.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        resourcePrefix = "/" + options.Value.Resource.Trim('/');
        maxMessageSize = options.Value.MaxMessageSize;
        this.logger = logger;
    }

    /// <summary>Serves the request if it is a Socket.IO request; returns <see langword="false"/> when it is not.</summary>
    public async ValueTask<bool> TryHandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is null
            || !path.StartsWith(resourcePrefix, StringComparison.Ordinal)
            || path.Length <= resourcePrefix.Length + 1
            || path[resourcePrefix.Length] != '/')
        {
            return false;
        }

        var rest = path[(resourcePrefix.Length + 1)..];
        if (rest == "socket.io.js")
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                return false;
            }

            await clientScript.WriteAsync(context).ConfigureAwait(false);
            return true;
        }

        var segments = rest.Split('/');
        if (!transports.TryGetValue(segments[0], out var transport))
        {
            return false;
        }

        var sessionId = segments.Length > 1 ? segments[1] : string.Empty;
        Sessions.Session? session = null;
        if (sessionId.Length > 0)
        {
            session = server.Sessions.Find(sessionId);
            if (session is null)
            {
                // Spec §2.1 step 5 / pitfall 15: close the connection without a response; the client reconnects.
                LogUnknownSession(transport.Name, sessionId.Length > 64 ? sessionId[..64] : sessionId);
                context.Abort();
                return true;
            }
        }

        var request = new TransportRequest
        {
            Session = session,
            Rest = segments.Length > 2 ? segments[2..] : [],
            CreateSession = () => server.StartSession(transport.Name, SocketIoRequest.FromHttpContext(context)),
            MaxMessageSize = maxMessageSize,
            Metrics = metrics,
        };

        try
        {
            await transport.ProcessRequestAsync(context, request).ConfigureAwait(false);
        }
        catch (TransportException exception)
        {
            LogClientError(transport.Name, exception.StatusCode, exception.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = exception.StatusCode;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(exception.Message, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: control flow, not an error.
        }

        return true;
    }

    [LoggerMessage(1, LogLevel.Debug, "A {Transport} request named the unknown or ended session {SessionId}: connection closed.")]
    private partial void LogUnknownSession(string transport, string sessionId);

    [LoggerMessage(2, LogLevel.Debug, "A {Transport} request was refused with {StatusCode}: {Reason}")]
    private partial void LogClientError(string transport, int statusCode, string reason);
}
