using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.Transports;

/// <summary>A transport moves encoded frames between one request or socket and a session's queues; it knows nothing
/// of channels or events.</summary>
internal interface ISocketIoTransport
{
    /// <summary>The name in the URL (<c>websocket</c>, <c>xhr-polling</c>, …).</summary>
    string Name { get; }

    /// <summary>Serves one HTTP request. Throws <see cref="TransportException"/> for a client error whose status and
    /// text the dispatcher writes.</summary>
    Task ProcessRequestAsync(HttpContext context, TransportRequest request);
}
