using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.Transports;

/// <summary>How both protocols' WebSocket transports accept an RFC 6455 upgrade.</summary>
internal static class WebSocketAccept
{
    /// <summary>No compression, and no WebSocket-level keep-alive: both protocols have heartbeats of their own (0.6
    /// heartbeats, Engine.IO pings) that find a dead client, so the keep-alive would only add a timer per connection
    /// (the middleware's default sends a pong frame every 2 minutes). Read-only, shared by every upgrade.</summary>
    public static WebSocketAcceptContext Context { get; } = new()
    {
        DangerousEnableCompression = false,
        KeepAliveInterval = TimeSpan.Zero,
    };
}
