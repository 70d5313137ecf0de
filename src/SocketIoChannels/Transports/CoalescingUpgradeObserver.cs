namespace SocketIoChannels.Transports;

/// <summary>A test hook: registered as a singleton service, it is told of every <see cref="CoalescingUpgradeStream"/>
/// installed for an Engine.IO 4 upgrade request, so a test can count the connection's socket writes. Not registered
/// by the library.</summary>
internal sealed class CoalescingUpgradeObserver
{
    private readonly List<CoalescingUpgradeStream> streams = [];

    public IReadOnlyList<CoalescingUpgradeStream> Streams
    {
        get
        {
            lock (streams)
            {
                return [.. streams];
            }
        }
    }

    public void Installed(CoalescingUpgradeStream stream)
    {
        lock (streams)
        {
            streams.Add(stream);
        }
    }
}
