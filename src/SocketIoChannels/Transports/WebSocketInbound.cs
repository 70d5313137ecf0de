using System.Net.WebSockets;

namespace SocketIoChannels.Transports;

/// <summary>What <see cref="IWebSocketReceiver{TWait}.ReceiveAsync"/> read: a text (or, on Engine.IO, binary) message,
/// the client's close, the end of the connection, or a message that breaks the flavour's rules (with the close that
/// says why).</summary>
internal readonly record struct WebSocketInbound(WebSocketInboundKind Kind, string? Text = null, int Length = 0, WebSocketCloseStatus Status = default, string? Reason = null, byte[]? Binary = null)
{
    public static WebSocketInbound Message(string text, int length) => new(WebSocketInboundKind.Text, text, length);

    /// <summary>A binary message (Engine.IO only).</summary>
    public static WebSocketInbound BinaryMessage(byte[] bytes) => new(WebSocketInboundKind.Binary, Length: bytes.Length, Binary: bytes);

    public static WebSocketInbound ClientClosed { get; } = new(WebSocketInboundKind.ClientClosed);

    /// <summary>The connection ended without a close (the client went away, the read was cancelled), or failed
    /// with <paramref name="reason"/>.</summary>
    public static WebSocketInbound Ended(string? reason = null) => new(WebSocketInboundKind.Ended, Reason: reason);

    /// <summary>The flavour's own protocol engine closed the connection on an error it detected (and wrote its
    /// close): the client is given until the close timeout to hang up.</summary>
    public static WebSocketInbound ClosedByFraming(string reason) => new(WebSocketInboundKind.ClosedByFraming, Reason: reason);

    public static WebSocketInbound Invalid(WebSocketCloseStatus status, string reason) => new(WebSocketInboundKind.Invalid, Status: status, Reason: reason);
}
