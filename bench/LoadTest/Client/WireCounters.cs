namespace SocketIoChannels.LoadTest.Client;

/// <summary>Process-wide counts of what the clients received: WebSocket messages and the deliveries in them,
/// long-poll answers.</summary>
internal static class WireCounters
{
    private static long webSocketMessages;
    private static long pollAnswers;

    public static long WebSocketMessages => Interlocked.Read(ref webSocketMessages);

    public static void OnWebSocketMessage() => Interlocked.Increment(ref webSocketMessages);

    /// <summary>Answers to long polls (GETs after the handshake) received.</summary>
    public static long PollAnswers => Interlocked.Read(ref pollAnswers);

    public static void OnPollAnswer() => Interlocked.Increment(ref pollAnswers);
}
