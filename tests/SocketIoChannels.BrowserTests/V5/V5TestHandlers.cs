using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// The v5 suites' handlers for namespace "/", twin of node/v5-reference-server.js (its header lists the events).
/// A message from a member of a channel starting with <see cref="RelayChannelPrefix"/> goes to that channel's other
/// members (django-socketio's broadcast_channel); any other message is echoed to its sender.
/// </summary>
public sealed class V5TestHandlers
{
    public const string RelayChannelPrefix = "relay-";

    [OnMessage]
    public void Echo(ISocket socket, JToken message)
    {
        var relay = socket.Channels.FirstOrDefault(c => c.StartsWith(RelayChannelPrefix, StringComparison.Ordinal));
        if (relay is not null)
        {
            socket.BroadcastChannel(message, relay);
            return;
        }

        socket.Send(message);
    }
}
