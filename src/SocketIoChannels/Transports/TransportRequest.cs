using Microsoft.AspNetCore.Http;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>A request routed to a transport: the session it names (or none for a new one), the path after the
/// session id, and how to start a new session.</summary>
internal sealed class TransportRequest
{
    public required Session? Session { get; init; }

    /// <summary>The path after the session id's segment and its slash (<c>ts/3</c> of
    /// <c>/socket.io/jsonp-polling/SID/ts/3</c>), empty when there is none; a slice of the request's path.</summary>
    public required ReadOnlyMemory<char> Tail { get; init; }

    /// <summary>The transport's name, given to a session it starts.</summary>
    public required string TransportName { get; init; }

    /// <summary>The request itself, whose snapshot a new session keeps.</summary>
    public required HttpContext Context { get; init; }

    /// <summary>Starts sessions (no closure per request: a WebSocket's request lives as long as its connection).</summary>
    public required ISessionStarter SessionStarter { get; init; }

    public required long MaxMessageSize { get; init; }

    /// <summary>Takes the snapshot of <see cref="Context"/> a new session keeps (given by Hosting, called only when a
    /// session starts).</summary>
    public required Func<HttpContext, SocketIoRequest> Snapshot { get; init; }

    /// <summary>Starts a new session for this connection; <see langword="null"/> while the host is stopping.</summary>
    public Session? CreateSession() => SessionStarter.StartSession(TransportName, Snapshot(Context));

    /// <summary>Where a transport counts the frames it wrote (<c>socketio.server.messages</c>, direction out).</summary>
    public required SocketIoMetrics Metrics { get; init; }
}
