using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Transports;

/// <summary>
/// The websocket transport (also answered as <c>flashsocket</c>) on RFC 6455 through ASP.NET Core: text messages,
/// no subprotocol, no compression. Hixie-76/75 upgrades on the same URLs are sent to
/// <see cref="HixieWebSocketTransport"/> by the dispatcher. This class accepts the upgrade; the connection runs on
/// <see cref="WebSocketConnection"/> with <see cref="Rfc6455Framing"/>.
/// </summary>
internal sealed class WebSocketTransport : ISocketIoTransport
{
    private readonly ILogger<WebSocketTransport> logger;

    public WebSocketTransport(string name, ILogger<WebSocketTransport> logger)
    {
        Name = name;
        this.logger = logger;
    }

    public string Name { get; }

    /// <summary>Refuses a request that is no WebSocket upgrade by throwing <see cref="TransportException"/> at once
    /// (not from the returned task), then serves the WebSocket: the dispatcher needs no async frame of its own around
    /// the connection (an idle connection keeps every suspended frame above its loops for its whole life).</summary>
    public Task ProcessRequestAsync(HttpContext context, TransportRequest request)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new TransportException(StatusCodes.Status400BadRequest, "The " + Name + " transport needs a WebSocket upgrade request.");
        }

        return ServeAsync(context, request);
    }

    private async Task ServeAsync(HttpContext context, TransportRequest request)
    {
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(WebSocketAccept.Context).ConfigureAwait(false);
            await WebSocketConnection.RunAsync(new Rfc6455Framing(socket, context, request.MaxMessageSize), request, logger).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: control flow, not an error.
        }
    }
}
