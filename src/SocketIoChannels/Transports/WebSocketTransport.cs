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

    public async Task ProcessRequestAsync(HttpContext context, TransportRequest request)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new TransportException(StatusCodes.Status400BadRequest, "The " + Name + " transport needs a WebSocket upgrade request.");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(WebSocketAccept.Context).ConfigureAwait(false);
        await WebSocketConnection.RunAsync(new Rfc6455Framing(socket, context, request.MaxMessageSize), request, logger).ConfigureAwait(false);
    }
}
