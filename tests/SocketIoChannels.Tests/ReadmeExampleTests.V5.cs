using System.Net;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests;

/// <summary>The README's example for today's clients: its handler class is ReadmeExample/MathHandlers.cs, shown
/// verbatim, and a Socket.IO 5 client (raw packets over a WebSocket, as socket.io-client sends them) meets the 0.6
/// page's session in the same channel, through the same handlers.</summary>
public sealed partial class ReadmeExampleTests
{
    [Fact]
    public void TheReadmeShowsTheV5HandlerClassVerbatim()
    {
        var root = RepositoryRoot();
        var readme = Normalize(File.ReadAllText(Path.Combine(root, "README.md")));
        var handlers = Normalize(File.ReadAllText(Path.Combine(root, "tests", "SocketIoChannels.Tests", "ReadmeExample", "MathHandlers.cs"))).Trim();

        Assert.True(readme.Contains("```csharp\n" + handlers + "\n```", StringComparison.Ordinal),
            "README.md must show tests/SocketIoChannels.Tests/ReadmeExample/MathHandlers.cs verbatim in a ```csharp block.");
        Assert.Contains("socket.emit(\"subscribe\", \"room-42\");", readme, StringComparison.Ordinal);
        Assert.Contains("socket.emit(\"add\", 2, 3, sum => show(\"2 + 3 = \" + sum));", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReadmeV5ExampleMeetsThe06PageInTheSameRoom()
    {
        await using var app = await StartReadmeAppAsync();
        using var http = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(30) };

        var alice = await RawPollingClient.ConnectAsync(http).WaitAsync(Timeout); // the 0.6 page
        Assert.Equal("""{"action":"welcome","name":"anonymous"}""", await alice.NextJsonAsync().WaitAsync(Timeout));
        await alice.PostAsync("~m~13~m~__subscribe__~m~7~m~room-42").WaitAsync(Timeout);
        await app.WaitForHandledAsync("subscribe: room-42", 1).WaitAsync(Timeout);

        // The v5 page: OnConnect's welcome arrives as the event "message" (socket.on("message")).
        await using var bob = await V5PacketClient.OpenAsync(app.Address).WaitAsync(Timeout);
        await bob.ConnectAsync().WaitAsync(Timeout);
        Assert.Equal("""["message",{"action":"welcome","name":"anonymous"}]""", Json(await bob.ReceiveEventAsync("message").WaitAsync(Timeout)));

        // socket.emit("subscribe", "room-42"): the same OnSubscribe tells the 0.6 page.
        await bob.EmitAsync("/", "subscribe", null, "room-42").WaitAsync(Timeout);
        Assert.Equal("""{"action":"joined","name":"anonymous"}""", await alice.NextJsonAsync().WaitAsync(Timeout));
        await app.WaitForHandledAsync("subscribe: room-42", 2).WaitAsync(Timeout);

        // socket.send({ text: "hello" }): the same OnMessage, to both pages in their own protocol.
        await bob.EmitAsync("/", "message", null, new JObject { ["text"] = "hello" }).WaitAsync(Timeout);
        const string Echo = """{"action":"message","name":"anonymous","message":{"text":"hello"}}""";
        Assert.Equal("[\"message\"," + Echo + "]", Json(await bob.ReceiveEventAsync("message").WaitAsync(Timeout)));
        Assert.Equal(Echo, await alice.NextJsonAsync().WaitAsync(Timeout));

        // socket.emit("add", 2, 3, sum => ...): [OnEvent("add")] binds 2 and 3; its return value is the ack.
        await bob.EmitAsync("/", "add", 7, 2, 3).WaitAsync(Timeout);
        Assert.Equal("[5]", Json(await bob.ReceiveAckAsync(7).WaitAsync(Timeout)));

        // The out-of-band announce reaches both.
        using (var answer = await http.PostAsync("/rooms/42/announce?text=hello", null).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("""{"sessions":2}""", await answer.Content.ReadAsStringAsync().WaitAsync(Timeout));
        }

        const string Announce = """{"action":"announce","text":"hello"}""";
        Assert.Equal(Announce, await alice.NextJsonAsync().WaitAsync(Timeout));
        Assert.Equal("[\"message\"," + Announce + "]", Json(await bob.ReceiveEventAsync("message").WaitAsync(Timeout)));
        Assert.Empty(alice.Unread);
    }

    private static string Json(V5Packet packet) => packet.Data!.ToString(Formatting.None);
}
