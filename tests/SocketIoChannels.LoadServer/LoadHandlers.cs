using Newtonsoft.Json.Linq;

namespace SocketIoChannels.LoadServer;

/// <summary>Counts sessions in and out and echoes every message to its sender.</summary>
public sealed class LoadHandlers(LoadStats stats)
{
    [OnConnect]
    public void Connect() => Interlocked.Increment(ref stats.Connects);

    [OnMessage]
    public void Message(ISocket socket, JToken message) => socket.Send(message);

    [OnFinish]
    public void Finish() => Interlocked.Increment(ref stats.Finishes);
}
