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
        string? eio;
        string? transport;
        string sid;
        if (TryReadEngineIoQuery(context.Request.QueryString.Value, out var eioSpan, out var transportSpan, out var sidSpan))
        {
            // The common query (each name at most once, nothing encoded), read in place: a poll is one request per
            // delivery.
            eio = eioSpan.SequenceEqual("4") ? "4" : null;
            transport = transportSpan.SequenceEqual(EngineIoSession.PollingTransportName) ? EngineIoSession.PollingTransportName
                : transportSpan.SequenceEqual(EngineIoSession.WebSocketTransportName) ? EngineIoSession.WebSocketTransportName
                : null;
            sid = sidSpan.ToString();
        }
        else
        {
            // Parsed here rather than read through Request.Query: that feature and its dictionary would stay on the
            // connection's HttpContext for as long as a WebSocket lives (a cost per idle connection).
            var query = QueryStringParser.Parse(context.Request.QueryString.Value ?? string.Empty);
            eio = query.GetValueOrDefault("EIO") == "4" ? "4" : null;
            // The constant, not the parsed string: the request (and the string) lives as long as a WebSocket.
            transport = query.GetValueOrDefault("transport") switch
            {
                EngineIoSession.PollingTransportName => EngineIoSession.PollingTransportName,
                EngineIoSession.WebSocketTransportName => EngineIoSession.WebSocketTransportName,
                _ => null,
            };
            sid = query.GetValueOrDefault("sid", string.Empty);
        }

        if (eio is null)
        {
            return RefuseEngineIoAsync(context, new EngineIoException(EngineIoException.UnsupportedProtocolVersion,
                "EIO must be 4 (Socket.IO 0.6 clients use the paths below the resource)."));
        }

        if (transport is null)
        {
            return RefuseEngineIoAsync(context, new EngineIoException(EngineIoException.TransportUnknown, "transport must be polling or websocket."));
        }

        if (origins.Refuse(context.Request) is { } refusedOrigin)
        {
            LogOriginRefused(transport, refusedOrigin);
            return RefuseOriginAsync(context, transport, refusedOrigin);
        }

        var request = new TransportRequest
        {
            Session = null,
            Tail = ReadOnlyMemory<char>.Empty,
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

    /// <summary>Reads <c>EIO</c>, <c>transport</c> and <c>sid</c> from the query string without decoding or copying;
    /// false (parse the whole query instead, with <see cref="QueryStringParser"/>) when one of them comes twice or a name or one of their values is
    /// encoded (<c>%</c> or <c>+</c>), so both ways give the same values. Names compare case-insensitively, as there.</summary>
    private static bool TryReadEngineIoQuery(string? queryString, out ReadOnlySpan<char> eio, out ReadOnlySpan<char> transport, out ReadOnlySpan<char> sid)
    {
        eio = transport = sid = default;
        bool seenEio = false, seenTransport = false, seenSid = false;
        var rest = queryString.AsSpan();
        if (!rest.IsEmpty && rest[0] == '?')
        {
            rest = rest[1..];
        }

        while (!rest.IsEmpty)
        {
            var ampersand = rest.IndexOf('&');
            var pair = ampersand < 0 ? rest : rest[..ampersand];
            rest = ampersand < 0 ? default : rest[(ampersand + 1)..];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? default : pair[(equals + 1)..];
            if (name.ContainsAny('%', '+'))
            {
                return false;
            }

            ref var seen = ref seenEio;
            ref var target = ref eio;
            if (name.Equals("EIO", StringComparison.OrdinalIgnoreCase))
            {
            }
            else if (name.Equals("transport", StringComparison.OrdinalIgnoreCase))
            {
                seen = ref seenTransport;
                target = ref transport;
            }
            else if (name.Equals("sid", StringComparison.OrdinalIgnoreCase))
            {
                seen = ref seenSid;
                target = ref sid;
            }
            else
            {
                continue;
            }

            if (seen || value.ContainsAny('%', '+'))
            {
                return false;
            }

            seen = true;
            target = value;
        }

        return true;
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
