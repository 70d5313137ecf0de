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

    [OnConnect]
    public void Connect(ISocket socket)
    {
        if (socket.Auth["refuse"] is JValue { Type: JTokenType.String } why)
        {
            throw new SocketIoConnectionRefusedException((string)why!, new JObject { ["reason"] = "refused by the test" });
        }
    }

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

    [OnEvent("whoami")]
    public JObject WhoAmI(ISocket socket) =>
        new() { ["id"] = socket.SessionId, ["auth"] = socket.Auth.DeepClone(), ["namespace"] = socket.Namespace };

    /// <summary>Acks the arguments, or without an ack emits "echo" with them.</summary>
    [OnEvent("echo")]
    public void EchoEvent(ISocket socket, JToken[] args, SocketIoAck? ack)
    {
        var values = args.Cast<object?>().ToArray();
        if (ack is not null)
        {
            ack(values);
        }
        else
        {
            socket.Emit("echo", values);
        }
    }

    /// <summary>["question", ...args]: emits "question" with the args and an ack, then "client-answered" with the
    /// first argument of the client's answer.</summary>
    [OnEvent("ask-client")]
    public async Task AskClientAsync(ISocket socket, JToken[] args)
    {
        JToken answer;
        try
        {
            var reply = await socket.EmitWithAckAsync((string)args[0]!, args.Skip(1).Cast<object?>().ToArray(), TimeSpan.FromSeconds(10));
            answer = reply.Length > 0 ? reply[0] : JValue.CreateNull();
        }
        catch (TimeoutException e)
        {
            answer = new JObject { ["error"] = e.Message };
        }

        socket.Emit("client-answered", answer);
    }

    [OnEvent("give-binary")]
    public void GiveBinary(ISocket socket) => socket.Emit("binary", new byte[] { 0, 1, 2, 255 });
}
