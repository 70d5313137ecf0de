using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// The v5 suites' handlers for namespace "/", twin of node/v5-reference-server.js (its header lists the events).
/// </summary>
public sealed class V5TestHandlers
{
    [OnMessage]
    public void Echo(ISocket socket, JToken message) => socket.Send(message);
}
