using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Sessions;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Hosting;

/// <summary>Requests to the resource root: Engine.IO 4 (docs/protocol-v5.md §1.1). Refusals are HTTP 400 with
/// node's JSON bodies.</summary>
internal sealed partial class SocketIoRequestDispatcher
{
    private Task HandleEngineIo(HttpContext context)
    {
        // Parsed here rather than read through Request.Query: that feature and its dictionary would stay on the
        // connection's HttpContext for as long as a WebSocket lives (a cost per idle connection).
        var query = QueryStringParser.Parse(context.Request.QueryString.Value ?? string.Empty);
        if (query.GetValueOrDefault("EIO") != "4")
        {
            return RefuseEngineIoAsync(context, new EngineIoException(EngineIoException.UnsupportedProtocolVersion,
                "EIO must be 4 (Socket.IO 0.6 clients use the paths below the resource)."));
        }

        // The constant, not the parsed string: the request (and the string) lives as long as a WebSocket.
        var transport = query.GetValueOrDefault("transport") switch
        {
            EngineIoSession.PollingTransportName => EngineIoSession.PollingTransportName,
            EngineIoSession.WebSocketTransportName => EngineIoSession.WebSocketTransportName,
            _ => null,
        };
        if (transport is null)
        {
            return RefuseEngineIoAsync(context, new EngineIoException(EngineIoException.TransportUnknown, "transport must be polling or websocket."));
        }

        if (origins.Refuse(context.Request) is { } refusedOrigin)
        {
            LogOriginRefused(transport, refusedOrigin);
            return RefuseOriginAsync(context, transport, refusedOrigin);
        }

        var sid = query.GetValueOrDefault("sid", string.Empty);
        var request = new TransportRequest
        {
            Session = null,
            Rest = [],
            TransportName = transport,
            Context = context,
            SessionStarter = server,
            Snapshot = RequestSnapshot.Take,
            MaxMessageSize = maxMessageSize,
            Metrics = metrics,
        };

        if (transport == EngineIoSession.PollingTransportName)
        {
            return ProcessEngineIoAsync(context, transport, sid.Length > 0 ? sid : null, request);
        }

        // The WebSocket refuses synchronously, so no async frame of ours waits above the connection for its life.
        try
        {
            return engineIoWebSocket.ProcessRequestAsync(context, request, sid.Length > 0 ? sid : null);
        }
        catch (EngineIoException exception)
        {
            return RefuseEngineIoAsync(context, exception);
        }
    }

    private async Task ProcessEngineIoAsync(HttpContext context, string transport, string? sid, TransportRequest request)
    {
        try
        {
            await engineIoPolling.ProcessRequestAsync(context, request, sid).ConfigureAwait(false);
        }
        catch (EngineIoException exception)
        {
            await RefuseEngineIoAsync(context, exception).ConfigureAwait(false);
        }
        catch (TransportException exception)
        {
            LogClientError(transport, exception.StatusCode, exception.Message);
            await WriteErrorAsync(context, exception.StatusCode, exception.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException exception)
        {
            LogClientError(transport, exception.StatusCode, exception.Message);
            await WriteErrorAsync(context, exception.StatusCode, exception.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: control flow, not an error.
        }
    }

    /// <summary>HTTP 400 with node's body <c>{"code":N,"message":"…"}</c>, and CORS so a page can read it.</summary>
    private Task RefuseEngineIoAsync(HttpContext context, EngineIoException exception)
    {
        LogEngineIoRefused(exception.Code, exception.CodeMessage, exception.Message);
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Clear();
        EngineIoPollingTransport.AddCorsHeaders(context);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        var body = new JObject { ["code"] = exception.Code, ["message"] = exception.CodeMessage };
        return context.Response.WriteAsync(body.ToString(Newtonsoft.Json.Formatting.None), context.RequestAborted);
    }

    [LoggerMessage(21, LogLevel.Debug, "An Engine.IO request was refused with code {Code} ({CodeMessage}): {Detail}")]
    private partial void LogEngineIoRefused(int code, string codeMessage, string detail);
}
