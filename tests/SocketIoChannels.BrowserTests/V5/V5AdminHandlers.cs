using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>The v5 suites' handlers for namespace "/admin": "echo" acks <c>["admin", ...args]</c>.</summary>
[SocketIoNamespace("/admin")]
public sealed class V5AdminHandlers
{
    [OnEvent("echo")]
    public void Echo(JToken[] args, SocketIoAck? ack) => ack?.Invoke(["admin", .. args]);
}
