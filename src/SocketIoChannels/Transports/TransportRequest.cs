using SocketIoChannels.Diagnostics;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>A request routed to a transport: the session it names (or none for a new one), the path segments after
/// the session id, and how to start a new session.</summary>
internal sealed class TransportRequest
{
    public required Session? Session { get; init; }

    public required string[] Rest { get; init; }

    /// <summary>Starts a new session for this connection; <see langword="null"/> while the host is stopping.</summary>
    public required Func<Session?> CreateSession { get; init; }

    public required long MaxMessageSize { get; init; }

    /// <summary>Where a transport counts the frames it wrote (<c>socketio.server.messages</c>, direction out).</summary>
    public required SocketIoMetrics Metrics { get; init; }
}
