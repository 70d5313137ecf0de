using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Server;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Hosting;

/// <summary>
/// Routes a request under <c>/{resource}/</c> to the client script or a transport (docs/protocol-0.6.md §2.1) and is the one place
/// that writes error statuses, as short plain text. The resource is matched as whole path segments; a path that
/// is not a transport is left to the rest of the app.
/// </summary>
internal sealed partial class SocketIoRequestDispatcher
{
    private readonly SocketIoServer server;
    private readonly ClientScript clientScript;
    private readonly FrozenDictionary<string, ISocketIoTransport>.AlternateLookup<ReadOnlySpan<char>> transports;
    private readonly FrozenDictionary<string, ISocketIoTransport>.AlternateLookup<ReadOnlySpan<char>> hixieTransports;
    private readonly string resourcePrefix;
    private readonly long maxMessageSize;
    private readonly OriginPolicy origins;
    private readonly ILogger<SocketIoRequestDispatcher> logger;
    private readonly SocketIoMetrics metrics;
    private readonly EngineIoPollingTransport engineIoPolling;
    private readonly EngineIoWebSocketTransport engineIoWebSocket;

    public SocketIoRequestDispatcher(SocketIoServer server, ClientScript clientScript, IEnumerable<ISocketIoTransport> transports,
        EngineIoPollingTransport engineIoPolling, EngineIoWebSocketTransport engineIoWebSocket,
        IOptions<SocketIoOptions> options, SocketIoMetrics metrics, ILogger<SocketIoRequestDispatcher> logger)
    {
        this.engineIoPolling = engineIoPolling;
        this.engineIoWebSocket = engineIoWebSocket;
        this.metrics = metrics;
        this.server = server;
        this.clientScript = clientScript;
        // The hixie-75/76 upgrades share their URLs with RFC 6455 (websocket, flashsocket): picked here by headers.
        // Looked up by the path's span: no string per request for the transport name or the session id.
        this.transports = transports.Where(t => t is not HixieWebSocketTransport).ToFrozenDictionary(t => t.Name, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        hixieTransports = transports.OfType<HixieWebSocketTransport>().ToFrozenDictionary(t => t.Name, t => (ISocketIoTransport)t, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        resourcePrefix = "/" + options.Value.Resource.Trim('/');
        maxMessageSize = options.Value.MaxMessageSize;
        origins = new OriginPolicy(options.Value.AllowedOrigins);
        this.logger = logger;
    }

    /// <summary>Whether a path is under <c>/{resource}/</c>, the root itself included (Engine.IO): the requests the
    /// WebSocket middleware is added for.</summary>
    public bool IsUnderResource(PathString path)
    {
        var value = path.Value;
        return value is not null
            && value.StartsWith(resourcePrefix, StringComparison.Ordinal)
            && value.Length > resourcePrefix.Length
            && value[resourcePrefix.Length] == '/';
    }

    /// <summary>Serves the request if it is a Socket.IO request: returns the task that serves it, or
    /// <see langword="null"/> when it is not one. Not async itself, so the middleware around it keeps no state
    /// machine for the life of a WebSocket.</summary>
    public Task? TryHandle(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is null
            || !path.StartsWith(resourcePrefix, StringComparison.Ordinal)
            || path.Length <= resourcePrefix.Length
            || path[resourcePrefix.Length] != '/')
        {
            return null;
        }

        var rest = path.AsSpan(resourcePrefix.Length + 1);
        if (rest.IsEmpty)
        {
            // The resource root: Engine.IO 4 (docs/protocol-v5.md §1.1); the 0.6 paths are below it.
            return HandleEngineIo(context);
        }

        if (rest.SequenceEqual("socket.io.js"))
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                return null;
            }

            return clientScript.WriteAsync(context);
        }

        // {transport}[/{sessionId}[/{tail}]], split without allocating: a poll is one request per delivery.
        var slash = rest.IndexOf('/');
        var name = slash < 0 ? rest : rest[..slash];
        if (!transports.TryGetValue(name, out var transport))
        {
            return null;
        }

        if (hixieTransports.TryGetValue(name, out var hixie) && HixieHandshake.IsHixieRequest(context.Request.Method, context.Request.Headers))
        {
            transport = hixie;
        }

        if (origins.Refuse(context.Request) is { } refusedOrigin)
        {
            LogOriginRefused(transport.Name, refusedOrigin);
            return RefuseOriginAsync(context, transport.Name, refusedOrigin);
        }

        var afterName = slash < 0 ? ReadOnlySpan<char>.Empty : rest[(slash + 1)..];
        var idEnd = afterName.IndexOf('/');
        var sessionId = idEnd < 0 ? afterName : afterName[..idEnd];
        var tailStart = idEnd < 0 ? path.Length : path.Length - afterName.Length + idEnd + 1;
        Sessions.Session? session = null;
        if (sessionId.Length > 0)
        {
            session = server.Sessions.Find(sessionId);
            if (session is null)
            {
                // docs/protocol-0.6.md §2.1 step 5, §10 item 15: close the connection without a response; the client reconnects.
                LogUnknownSession(transport.Name, sessionId.Length > 64 ? sessionId[..64].ToString() : sessionId.ToString());
                context.Abort();
                return Task.CompletedTask;
            }
        }

        var request = new TransportRequest
        {
            Session = session,
            Tail = path.AsMemory(tailStart),
            TransportName = transport.Name,
            Context = context,
            SessionStarter = server,
            Snapshot = RequestSnapshot.Take,
            MaxMessageSize = maxMessageSize,
            Metrics = metrics,
        };

        if (transport is WebSocketTransport webSocket)
        {
            // It refuses synchronously, so no async frame of ours waits above the connection for its life.
            try
            {
                return webSocket.ProcessRequestAsync(context, request);
            }
            catch (TransportException exception)
            {
                LogClientError(transport.Name, exception.StatusCode, exception.Message);
                return WriteErrorAsync(context, exception.StatusCode, exception.Message);
            }
        }

        return ProcessAsync(context, transport, request);
    }

    private async Task ProcessAsync(HttpContext context, ISocketIoTransport transport, TransportRequest request)
    {
        try
        {
            await transport.ProcessRequestAsync(context, request).ConfigureAwait(false);
        }
        catch (TransportException exception)
        {
            LogClientError(transport.Name, exception.StatusCode, exception.Message);
            await WriteErrorAsync(context, exception.StatusCode, exception.Message).ConfigureAwait(false);
        }
        catch (InvalidPayloadException exception)
        {
            // A POST whose payload is malformed or over a limit: none of it was used, the session goes on.
            LogClientError(transport.Name, StatusCodes.Status400BadRequest, exception.Message);
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, exception.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's own limits, e.g. a body that arrives slower than MinRequestBodyDataRate (slow loris): 408.
            LogClientError(transport.Name, exception.StatusCode, exception.Message);
            await WriteErrorAsync(context, exception.StatusCode, exception.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: control flow, not an error.
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, int statusCode, string text)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = statusCode;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>docs/protocol-0.6.md §3.7, §6.1: a POST gets 401 <c>unauthorized</c>; a jsonp-polling poll gets the 0.6 alert script
    /// (a script tag cannot read a status); everything else, WebSocket upgrades included, 403. No session is
    /// created and no CORS header is sent.</summary>
    private static Task RefuseOriginAsync(HttpContext context, string transport, string origin)
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            return WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthorized");
        }

        if (transport == "jsonp-polling" && HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/javascript; charset=UTF-8";
            return context.Response.WriteAsync("alert('Cross domain security restrictions not met');", context.RequestAborted);
        }

        return WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Origin not allowed: " + origin + " (see SocketIoOptions.AllowedOrigins).");
    }

    [LoggerMessage(20, LogLevel.Debug, "A {Transport} request from the origin {Origin} was refused: it is not in SocketIoOptions.AllowedOrigins.")]
    private partial void LogOriginRefused(string transport, string origin);

    [LoggerMessage(1, LogLevel.Debug, "A {Transport} request named the unknown or ended session {SessionId}: connection closed.")]
    private partial void LogUnknownSession(string transport, string sessionId);

    [LoggerMessage(2, LogLevel.Debug, "A {Transport} request was refused with {StatusCode}: {Reason}")]
    private partial void LogClientError(string transport, int statusCode, string reason);
}
