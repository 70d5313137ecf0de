namespace SocketIoChannels.LoadServer;

/// <summary>Counters the handlers and the sampler keep, read through <c>GET /load/stats</c>.</summary>
public sealed class LoadStats
{
    public long Connects;
    public long Finishes;
    public long Broadcasts;
    public long PeakQueuedFrames;
    public long PeakHeapBytes;
}
