using Newtonsoft.Json.Linq;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>The SocketIoChannels server's handlers: echo every message to its sender. Subscribing to the bench
/// channel is the client's <c>__subscribe__</c>, handled by the library.</summary>
public sealed class BenchHandlers
{
    [OnMessage]
    public void Echo(ISocket socket, JToken message) => socket.Send(message);
}
