namespace SocketIoChannels.LoadTest.Client;

/// <summary>Process-wide counts of what the clients received: WebSocket messages and the deliveries in them.</summary>
internal static class WireCounters
{
    private static long webSocketMessages;

    public static long WebSocketMessages => Interlocked.Read(ref webSocketMessages);

    public static void OnWebSocketMessage() => Interlocked.Increment(ref webSocketMessages);
}
