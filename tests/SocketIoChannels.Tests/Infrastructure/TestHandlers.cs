using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// The handlers of the behaviour suite. Text is echoed; JSON objects with an "action" drive the socket API; every
/// event is recorded in order.
/// </summary>
public sealed class TestHandlers(EventRecorder recorder)
{
    [OnConnect]
    public void Connect(ISocket socket, IDictionary<string, object?> context)
    {
        context["connected"] = true;
        recorder.Add(socket.SessionId, "connect");
    }

    [OnMessage]
    public async Task Message(ISocket socket, JToken message, CancellationToken cancellationToken)
    {
        recorder.Add(socket.SessionId, "message:" + message.ToString(Newtonsoft.Json.Formatting.None));
        if (message is not JObject command || command["action"] is null)
        {
            socket.Send(message);
            return;
        }

        var channel = (string?)command["channel"];
        var payload = command["payload"];
        switch ((string?)command["action"])
        {
            case "send": socket.Send(payload); break;
            case "broadcast": socket.Broadcast(payload); break;
            case "broadcastChannel": socket.BroadcastChannel(payload, channel); break;
            case "sendAndBroadcast": socket.SendAndBroadcast(payload); break;
            case "sendAndBroadcastChannel": socket.SendAndBroadcastChannel(payload, channel); break;
            case "channels": socket.Send(new JArray(socket.Channels)); break;
            case "throw": throw new InvalidOperationException("handler failed on purpose");
            case "disconnect": socket.Disconnect(); break;
            case "wait": await Task.Delay(Timeout.Infinite, cancellationToken); break;
            case "typeof": socket.Send(message["payload"]?.Type.ToString() ?? "missing"); break;
        }
    }

    [OnSubscribe]
    public void Subscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "subscribe:" + channel);

    [OnUnsubscribe]
    public void Unsubscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "unsubscribe:" + channel);

    [OnError]
    public void Error(ISocket socket, Exception exception)
    {
        recorder.Add(socket.SessionId, "error:" + exception.Message);
        socket.Send(new JObject { ["error"] = exception.Message });
    }

    [OnDisconnect]
    public void Disconnect(ISocket socket) => recorder.Add(socket.SessionId, "disconnect");

    [OnFinish]
    public void Finish(ISocket socket, IDictionary<string, object?> context) =>
        recorder.Add(socket.SessionId, "finish:" + string.Join(",", socket.Channels) + ":" + context.ContainsKey("connected"));
}
