namespace SocketIoChannels.LoadTest.Servers;

/// <summary>SocketIoChannels: <c>BroadcastChannel</c> to the bench channel.</summary>
internal sealed class OursTarget(ISocketIoBroadcaster broadcaster) : IFanoutTarget
{
    public int Subscribers => broadcaster.CountSubscribers(ServerHost.Group);

    public ValueTask BroadcastAsync(string payload)
    {
        try
        {
            broadcaster.BroadcastChannel(payload, ServerHost.Group);
        }
        catch (NoSocketException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
