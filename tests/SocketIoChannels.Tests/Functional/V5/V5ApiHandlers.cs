using Microsoft.AspNetCore.Authorization;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.V5;

/// <summary>The handlers of the default namespace for the Socket.IO 5 API tests (and the 0.6 clients beside them).</summary>
public sealed class V5ApiHandlers(EventRecorder recorder)
{
    [OnConnect]
    public void Connect(ISocket socket)
    {
        recorder.Add(socket.SessionId, "connect");
        if (socket.Auth["refuse"] is { } refuse)
        {
            recorder.Add("refused", socket.SessionId);
            throw new SocketIoConnectionRefusedException((string)refuse!, new { code = 42 });
        }

        if (socket.Auth.Count > 0)
        {
            socket.Emit("welcome", socket.Namespace, socket.Auth);
        }
    }

    [OnEvent("add")]
    public static int Add(int a, int b) => a + b;

    [OnEvent("echo")]
    public static void Echo(JToken[] args, SocketIoAck? ack)
    {
        ack?.Invoke([.. args]);
        ack?.Invoke("a second answer is not sent");
    }

    [OnEvent("upload")]
    public static void Upload(string name, byte[] data, SocketIoAck ack) => ack(name, data.Length, data.Reverse().ToArray());

    [OnEvent("typed")]
    public static void Typed(ISocket socket, int number) => socket.Emit("typed-ok", number);

    [OnEvent("ask")]
    public static async Task<JToken> AskAsync(ISocket socket)
    {
        var answer = await socket.EmitWithAckAsync("question", ["what?", new byte[] { 9 }], TimeSpan.FromSeconds(10));
        return new JArray(answer);
    }

    [OnEvent("askTimeout")]
    public static async Task<string> AskTimeoutAsync(ISocket socket)
    {
        try
        {
            await socket.EmitWithAckAsync("question", ["nobody answers"], TimeSpan.FromMilliseconds(300));
            return "answered";
        }
        catch (TimeoutException exception)
        {
            return exception.Message;
        }
    }

    [OnEvent("askForever")]
    public async Task AskForeverAsync(ISocket socket)
    {
        try
        {
            await socket.EmitWithAckAsync("question", [], TimeSpan.FromMinutes(5));
            recorder.Add(socket.SessionId, "ask-answered");
        }
        catch (OperationCanceledException)
        {
            recorder.Add(socket.SessionId, "ask-cancelled");
        }
    }

    [OnEvent("emitChannel")]
    public static void EmitChannel(ISocket socket, string channel, string text) => socket.EmitChannel(channel, "roomEvent", text, new byte[] { 1, 2 });

    [OnEvent("roomOnly", Channel = "^vip")]
    public static string RoomOnly() => "vip";

    [OnMessage]
    public static async Task<string?> MessageAsync(ISocket socket, JToken message)
    {
        if (message is JObject { } command && (string?)command["action"] == "askAck")
        {
            try
            {
                await socket.EmitWithAckAsync("question", [], TimeSpan.FromSeconds(1));
            }
            catch (NotSupportedException exception)
            {
                socket.Send(exception.Message);
            }

            return null;
        }

        if (message is JObject { } emit && (string?)emit["action"] == "emit")
        {
            socket.Emit("hello", "from", new byte[] { 1 });
            return null;
        }

        return "got " + message.ToString(Newtonsoft.Json.Formatting.None);
    }

    [OnError]
    public static void Error(ISocket socket, Exception exception) => socket.Emit("error-seen", exception.Message);

    [OnDisconnect]
    public void Disconnect(ISocket socket) => recorder.Add(socket.SessionId, "disconnect");

    [OnFinish]
    public void Finish(ISocket socket) => recorder.Add(socket.SessionId, "finish");
}

/// <summary>The handlers of namespace /admin.</summary>
[SocketIoNamespace("/admin")]
public sealed class V5AdminHandlers
{
    [OnEvent("whoami")]
    public static string WhoAmI(ISocket socket) => socket.Namespace;

    [OnEvent("add")]
    public static int Add(int a, int b) => 1000 + a + b;

    [OnMessage]
    public static string Count(JToken[] args, JToken first) => args.Length + " arguments, the first " + first;
}

/// <summary>A namespace whose OnConnect needs an authenticated user.</summary>
[SocketIoNamespace("/private")]
public sealed class V5PrivateHandlers
{
    [OnConnect]
    [Authorize]
    public static void Connect()
    {
    }
}
