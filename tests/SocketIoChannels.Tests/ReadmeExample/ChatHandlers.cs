using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using SocketIoChannels;

namespace ReadmeExample;

// A handler class: any class with On* methods. A new instance per event, built by dependency injection.
public class ChatHandlers(ILogger<ChatHandlers> logger)
{
    [OnConnect]
    public void Connect(ISocket socket, SocketIoRequest request, IDictionary<string, object?> context)
    {
        // The context lives as long as the session; the request is the one that opened it.
        context["name"] = request.User.Identity?.Name ?? "anonymous";
        socket.Send(new { action = "welcome", name = context["name"] });
    }

    [OnSubscribe] // no channel: runs for every subscription
    public void Subscribe(ISocket socket, string channel, IDictionary<string, object?> context)
    {
        logger.LogInformation("{Name} joined {Channel}", context["name"], channel);
        socket.BroadcastChannel(new { action = "joined", name = context["name"] }, channel); // the others
    }

    [OnMessage(channel: "^room-")] // only for sessions in a channel starting with "room-"
    public void Message(ISocket socket, IDictionary<string, object?> context, JToken message)
    {
        // Everyone in this session's channels, the sender included.
        socket.SendAndBroadcastChannel(new { action = "message", name = context["name"], message });
    }
}
