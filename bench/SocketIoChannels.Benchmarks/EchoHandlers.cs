using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Benchmarks;

/// <summary>The handler of the dispatch benchmark: echo to the sender.</summary>
public sealed class EchoHandlers
{
    [OnMessage]
    public void Echo(ISocket socket, JToken message) => socket.Send(message);
}
