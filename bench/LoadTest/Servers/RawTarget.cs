namespace SocketIoChannels.LoadTest.Servers;

/// <summary>The raw server's broadcasts: to its WebSockets (<see cref="RawWebSocketServer"/>) and its polling
/// sessions (<see cref="RawPollingServer"/>).</summary>
internal sealed class RawTarget(RawWebSocketServer webSockets, RawPollingServer polling) : IFanoutTarget
{
    public int Subscribers => webSockets.Subscribers + polling.Subscribers;

    public ValueTask BroadcastAsync(string payload)
    {
        polling.Broadcast(payload);
        return webSockets.BroadcastAsync(payload);
    }
}
