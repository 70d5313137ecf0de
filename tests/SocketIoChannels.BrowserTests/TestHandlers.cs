using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests;

/// <summary>
/// The browser tests' server-side handlers. A message is echoed back unchanged, so a round trip shows what the
/// client's encoding and the server's decoding and encoding keep. A session subscribed to a channel whose name
/// starts with <see cref="ProbeChannelPrefix"/> gets instead a report of what the handler received:
/// <c>{"type": "&lt;JTokenType&gt;", "value": &lt;the message&gt;}</c>, so a test can tell a number from the
/// string "42" on the server side too.
/// </summary>
public sealed class TestHandlers
{
    public const string ProbeChannelPrefix = "probe-";

    [OnMessage]
    public void Echo(ISocket socket, JToken message)
    {
        if (socket.Channels.Any(c => c.StartsWith(ProbeChannelPrefix, StringComparison.Ordinal)))
        {
            socket.Send(new JObject
            {
                ["type"] = message is null ? "(C# null)" : message.Type.ToString(),
                ["value"] = message?.DeepClone() ?? JValue.CreateNull(),
            });
            return;
        }

        socket.Send(message);
    }
}
