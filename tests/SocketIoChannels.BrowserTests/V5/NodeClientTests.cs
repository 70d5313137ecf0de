using Newtonsoft.Json.Linq;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// The real socket.io-client 4.8 (npm) in Node against the server: transports, auth, send and emit with and
/// without acks both ways, binary, namespaces, channels, refusal and reconnection. One server and one node
/// process for the class; each test its own sockets.
/// </summary>
public sealed class NodeClientTests(V5ServerFixture fixture) : IClassFixture<V5ServerFixture>
{
    private static readonly string[] Polling = ["polling"];
    private static readonly string[] WebSocket = ["websocket"];

    public static TheoryData<string> Transports => new() { "polling", "websocket" };

    [Fact]
    public async Task PollingOnlyConnectsAndExchangesMessages()
    {
        var client = await fixture.ConnectAsync(Polling);
        Assert.Equal("polling", client.ConnectResult.Value<string>("transport"));

        await client.SendAsync("over polling");
        var echo = await client.FirstArgsAsync("message");
        JsonAssert.Equal(new JArray("over polling"), echo);
        Assert.Equal("polling", (await client.StateAsync()).Value<string>("transport"));
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task WebSocketOnlyConnectsAndExchangesMessages()
    {
        var client = await fixture.ConnectAsync(WebSocket);
        Assert.Equal("websocket", client.ConnectResult.Value<string>("transport"));

        await client.SendAsync("over websocket");
        JsonAssert.Equal(new JArray("over websocket"), await client.FirstArgsAsync("message"));
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task DefaultConnectionUpgradesToWebSocketWithoutLosingOrReorderingMessages()
    {
        var client = await fixture.ConnectAsync();
        Assert.Equal("polling", (await client.StateAsync()).Value<string>("firstTransport"));

        // Sent at once, while the upgrade probe runs: every echo arrives, in order.
        const int count = 30;
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(i);
        }

        var state = await client.WaitStateAsync(connected: true, transport: "websocket");
        Assert.Equal(client.Id, state.Value<string>("id"));
        var echoes = await client.WaitForAsync("message", count);
        Assert.Equal(Enumerable.Range(0, count), echoes.Select(e => e["args"]![0]!.Value<int>()));

        await client.SendAsync("after the upgrade");
        var all = await client.WaitForAsync("message", count + 1);
        JsonAssert.Equal(new JArray("after the upgrade"), all[count]["args"]!);
        JsonAssert.Equal(new JArray("websocket"), await client.FirstArgsAsync("upgrade"));
        Assert.DoesNotContain("disconnect", await client.EventNamesAsync());
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task PollingDeliversEveryMessageExactlyOnceAndInOrder()
    {
        // Many small polls in a row: node's client closes each poll's connection as soon as it has the answer.
        var client = await fixture.ConnectAsync(Polling);
        var room = ChannelHelpers.NewChannel("room-");
        JsonAssert.Equal(new JArray(true), await client.EmitWithAckAsync("subscribe", room));
        const int count = 300;
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(1, await fixture.BroadcastAsync(room, i));
        }

        await client.SendAsync("barrier");
        var messages = await client.WaitForAsync("message", count + 1);
        JsonAssert.Equal(new JArray("barrier"), messages[count]["args"]!);
        var values = (await client.EventsAsync()).Where(e => e.Value<string>("name") == "message").Select(e => e["args"]![0]!).ToList();
        JsonAssert.Equal(new JArray(Enumerable.Range(0, count).Select(i => (JToken)i).Append("barrier")), new JArray(values));
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task TheConnectHandlerSeesTheAuthPayload(string transport)
    {
        var auth = new JObject { ["token"] = "secret-" + transport, ["n"] = 2, ["nested"] = new JObject { ["ok"] = true } };
        var client = await fixture.ConnectAsync([transport], auth);

        var answer = await client.EmitWithAckAsync("whoami");
        Assert.Equal(client.Id, answer[0]!.Value<string>("id"));
        JsonAssert.Equal(auth, answer[0]!["auth"]!);
        Assert.Equal("/", answer[0]!.Value<string>("namespace"));
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EmitWithAckGetsTheHandlersAnswer(string transport)
    {
        var client = await fixture.ConnectAsync([transport]);
        var obj = new JObject { ["a"] = new JArray(1, "x", JValue.CreateNull(), true), ["u"] = TestPages.UnicodeSample };

        var answer = await client.EmitWithAckAsync("echo", 1, "two", obj);
        JsonAssert.Equal(new JArray(1, "two", obj), answer);
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EmitWithoutAckGetsAnEventBack(string transport)
    {
        var client = await fixture.ConnectAsync([transport]);

        await client.EmitAsync("echo", "no ack", 3);
        JsonAssert.Equal(new JArray("no ack", 3), await client.FirstArgsAsync("echo"));
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ServerEmitWithAckGetsTheClientsAnswer(string transport)
    {
        var client = await fixture.ConnectAsync([transport]);
        await client.ReplyAsync("question", "the answer", 42);

        await client.EmitAsync("ask-client", "question", "what is it?");
        var asked = await client.WaitForAsync("question");
        JsonAssert.Equal(new JArray("what is it?"), asked[0]["args"]!);
        Assert.True(asked[0].Value<bool>("ack"), "the server's event asked for an ack");
        // The handler emits the first argument of the client's answer back as "client-answered".
        JsonAssert.Equal(new JArray("the answer"), await client.FirstArgsAsync("client-answered"));
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task BinaryTravelsBothWays(string transport)
    {
        var client = await fixture.ConnectAsync([transport]);
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var answer = await client.EmitWithAckAsync("echo", V5Client.Bytes(bytes), "text", V5Client.Bytes());
        JsonAssert.Equal(new JArray(V5Client.Bytes(bytes), "text", V5Client.Bytes()), answer);

        await client.EmitAsync("give-binary");
        JsonAssert.Equal(new JArray(V5Client.Bytes(0, 1, 2, 255)), await client.FirstArgsAsync("binary"));
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ADeclaredNamespaceIsServedByItsOwnHandlers(string transport)
    {
        var admin = await fixture.ConnectAsync([transport], nameSpace: "/admin");

        JsonAssert.Equal(new JArray("admin", 7), await admin.EmitWithAckAsync("echo", 7));
        await admin.DisconnectAsync();
    }

    [Fact]
    public async Task AnUndeclaredNamespaceIsRefusedAsInvalidNamespace()
    {
        var client = await fixture.OpenAsync(nameSpace: "/nobody-serves-this");

        Assert.Equal("connect_error", client.ConnectResult.Value<string>("event"));
        Assert.Equal("Invalid namespace", client.ConnectResult.Value<string>("message"));
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task SubscribeAndUnsubscribeAreAckedAndDecideWhatArrives(string transport)
    {
        var client = await fixture.ConnectAsync([transport]);
        var room = ChannelHelpers.NewChannel("room-");

        JsonAssert.Equal(new JArray(true), await client.EmitWithAckAsync("subscribe", room));
        var payload = new JObject { ["text"] = TestPages.UnicodeSample };
        Assert.Equal(1, await fixture.BroadcastAsync(room, payload));
        JsonAssert.Equal(new JArray(payload), await client.FirstArgsAsync("message"));

        JsonAssert.Equal(new JArray(true), await client.EmitWithAckAsync("unsubscribe", room));
        Assert.Equal(0, await fixture.BroadcastAsync(room, "after unsubscribe"));
        await client.SendAsync("barrier");
        var messages = await client.WaitForAsync("message", 2);
        JsonAssert.Equal(new JArray("barrier"), messages[1]["args"]!);
        Assert.Equal(2, (await client.EventsAsync()).Count(e => e.Value<string>("name") == "message"));
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ARefusedConnectionGetsConnectErrorWithMessageAndData(string transport)
    {
        var client = await fixture.OpenAsync([transport], new JObject { ["refuse"] = "go away" });

        Assert.Equal("connect_error", client.ConnectResult.Value<string>("event"));
        Assert.Equal("go away", client.ConnectResult.Value<string>("message"));
        JsonAssert.Equal(new JObject { ["reason"] = "refused by the test" }, client.ConnectResult["data"]!);
        Assert.False((await client.StateAsync()).Value<bool>("connected"));
        await client.DisconnectAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ReconnectsByItselfAfterTheServerDropsTheConnection(string transport)
    {
        var client = await fixture.ConnectAsync([transport]);
        var firstId = client.Id;

        Assert.True(await fixture.DropAsync(client) >= 1, "the server found the client's connection");
        var disconnect = await client.FirstArgsAsync("disconnect");
        Assert.Contains(disconnect[0]!.Value<string>(), new[] { "transport close", "transport error" });
        await client.WaitForAsync("reconnect");
        var state = await client.WaitStateAsync(connected: true);
        Assert.NotEqual(firstId, state.Value<string>("id"));

        await client.SendAsync("after reconnecting");
        JsonAssert.Equal(new JArray("after reconnecting"), await client.FirstArgsAsync("message"));
        await client.DisconnectAsync();
    }
}
