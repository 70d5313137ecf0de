using System.Net.WebSockets;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>A client WebSocket that counts every complete data message it receives (handed to the SignalR client
/// through its WebSocketFactory, and used by the 0.6 client), so deliveries per WebSocket message can be measured
/// the same way for every server.</summary>
internal sealed class CountingWebSocket(WebSocket inner) : WebSocket
{
    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public override void Abort() => inner.Abort();

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Dispose() => inner.Dispose();

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && (result.Count > 0 || buffer.Count > 0))
        {
            WireCounters.OnWebSocketMessage();
        }

        return result;
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && (result.Count > 0 || buffer.Length > 0))
        {
            WireCounters.OnWebSocketMessage();
        }

        return result;
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, messageFlags, cancellationToken);
}
