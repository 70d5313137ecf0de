using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.V5;

/// <summary>
/// The one model and API for Socket.IO 5 sockets, from raw v5 packets on real Kestrel: [OnEvent] binding by position,
/// acks both ways, binary both ways, subscriptions with acks, refused connections, namespaces.
/// </summary>
public sealed class V5ApiTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> clients = [];
    private TestApp app = null!;

    private EventRecorder Events => app.Services.GetRequiredService<EventRecorder>();

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(
            handlers => handlers.AddEventHandler<V5ApiHandlers>().AddEventHandler<V5AdminHandlers>().AddEventHandler<V5PrivateHandlers>(),
            services: services => services.AddAuthorization());
    }

    public async Task DisposeAsync()
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await app.DisposeAsync();
    }

    private async Task<V5PacketClient> OpenAsync()
    {
        var client = await V5PacketClient.OpenAsync(app.Address);
        clients.Add(client);
        return client;
    }

    private async Task<V5PacketClient> ConnectedAsync(string nsp = "/")
    {
        var client = await OpenAsync();
        await client.ConnectAsync(nsp);
        return client;
    }

    [Fact]
    public async Task EventArgumentsBindByPositionAndTheReturnValueIsTheAck()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "add", 1, 2, 3);

        var ack = await client.ReceiveAckAsync(1);
        Assert.Equal(3, ack.Type);
        Assert.Equal("[5]", ack.Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task SocketIoAckAnswersOnceWithAllArgumentsOfAJTokenArray()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "echo", 7, "a", 1, new { b = true });

        var ack = await client.ReceiveAckAsync(7);
        Assert.Equal("[\"a\",1,{\"b\":true}]", ack.Data!.ToString(Newtonsoft.Json.Formatting.None));
        await client.AssertNoneAsync(p => p.Type == 3, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task AnEventWithoutAnAckIdGetsNoAckAndANullSocketIoAck()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "echo", null, "x");
        await client.EmitAsync("/", "add", null, 1, 1);
        await client.EmitAsync("/", "add", 3, 1, 1);

        var ack = await client.ReceiveAsync(p => p.Type is 3 or 6);
        Assert.Equal(3, ack.AckId); // the first ack is the one asked for
    }

    [Fact]
    public async Task BinaryArgumentsArriveAsBytesAndGoBackAsAttachments()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "upload", 4, "file.bin", new byte[] { 1, 2, 3 });

        var ack = await client.ReceiveAckAsync(4);
        Assert.Equal(6, ack.Type); // BINARY_ACK
        Assert.Equal("[\"file.bin\",3,{\"_placeholder\":true,\"num\":0}]", ack.Data!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal(new byte[] { 3, 2, 1 }, Assert.Single(ack.Attachments));
    }

    [Fact]
    public async Task AnArgumentOfTheWrongTypeGoesToOnErrorWithAClearMessage()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "typed", null, "not a number");

        var error = await client.ReceiveEventAsync("error-seen");
        Assert.Contains("The argument 1 of the event \"typed\" could not be converted to Int32", (string)error.Data![1]!, StringComparison.Ordinal);
        await client.EmitAsync("/", "typed", null, 12);
        Assert.Equal(12, (int)(await client.ReceiveEventAsync("typed-ok")).Data![1]!);
    }

    [Fact]
    public async Task EmitWithAckAsyncReturnsWhatTheClientAnswered()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "ask", 5);
        var question = await client.ReceiveEventAsync("question");
        Assert.Equal(5, question.Type); // the byte[] argument went as an attachment
        Assert.Equal(new byte[] { 9 }, Assert.Single(question.Attachments));
        Assert.NotNull(question.AckId);
        await client.AckAsync("/", question.AckId!.Value, new JArray("forty-two", 42));

        var ack = await client.ReceiveAckAsync(5);
        Assert.Equal("[[\"forty-two\",42]]", ack.Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task EmitWithAckAsyncTimesOutNamingTheEvent()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "askTimeout", 6);
        await client.ReceiveEventAsync("question");

        var ack = await client.ReceiveAckAsync(6);
        Assert.Contains("did not acknowledge the event \"question\" within 0.3 s", (string)ack.Data![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSocketsEndCancelsAnEmitWithAckStillWaiting()
    {
        var client = await OpenAsync();
        var id = await client.ConnectAsync();

        await client.EmitAsync("/", "askForever", null);
        await client.ReceiveEventAsync("question");
        await client.SendTextAsync("1"); // DISCONNECT from "/"

        await Events.WaitForAsync(id, events => events.Contains("ask-cancelled")).DefaultTimeout();
    }

    [Fact]
    public async Task AMessageFromAVersionFiveClientReachesOnMessageAndItsReturnValueAcks()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "message", 8, "hi");

        var ack = await client.ReceiveAckAsync(8);
        Assert.Equal("[\"got \\\"hi\\\"\"]", ack.Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task AnOnMessageJTokenArrayGetsEveryArgumentAndTheMessageTheFirst()
    {
        var client = await ConnectedAsync("/admin");

        await client.EmitAsync("/admin", "message", 4, "a", "b");

        Assert.Equal("[\"2 arguments, the first a\"]", (await client.ReceiveAckAsync(4, "/admin")).Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task SubscribeAndUnsubscribeAreAckedAndChannelSendsFollowThem()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "subscribe", 10, "room-1");
        Assert.Equal("[true]", (await client.ReceiveAckAsync(10)).Data!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal(1, app.Broadcaster.EmitChannel("room-1", "news", "fresh", new byte[] { 5 }));
        var news = await client.ReceiveEventAsync("news");
        Assert.Equal("[\"news\",\"fresh\",{\"_placeholder\":true,\"num\":0}]", news.Data!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal(new byte[] { 5 }, Assert.Single(news.Attachments));
        Assert.Equal(1, app.Broadcaster.BroadcastChannel("as a message", "room-1"));
        var message = await client.ReceiveEventAsync("message");
        Assert.Equal("[\"message\",\"as a message\"]", message.Data!.ToString(Newtonsoft.Json.Formatting.None));

        await client.EmitAsync("/", "unsubscribe", 11, "room-1");
        Assert.Equal("[true]", (await client.ReceiveAckAsync(11)).Data!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Throws<NoSocketException>(() => app.Broadcaster.EmitChannel("room-1", "news", "stale"));
    }

    [Fact]
    public async Task AnOnEventChannelPatternAppliesToTheSocketsChannels()
    {
        var client = await ConnectedAsync();

        await client.EmitAsync("/", "roomOnly", 1);
        await client.AssertNoneAsync(p => p.Type == 3, TimeSpan.FromMilliseconds(300));
        await client.EmitAsync("/", "subscribe", null, "vip-lounge");
        await client.EmitAsync("/", "roomOnly", 2);

        Assert.Equal("[\"vip\"]", (await client.ReceiveAckAsync(2)).Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task OnConnectSeesAuthAndNamespaceAndItsSendsFollowTheConnectAnswer()
    {
        var client = await OpenAsync();

        var connect = await client.ConnectRawAsync("/", new JObject { ["token"] = "abc" });
        Assert.Equal(0, connect.Type);
        var welcome = await client.ReceiveEventAsync("welcome");
        Assert.Equal("[\"welcome\",\"/\",{\"token\":\"abc\"}]", welcome.Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task AnOnConnectExceptionRefusesWithMessageAndDataAndNoFurtherEvents()
    {
        var client = await OpenAsync();

        var refused = await client.ConnectRawAsync("/", new JObject { ["refuse"] = "go away" });

        Assert.Equal(4, refused.Type);
        Assert.Equal("{\"message\":\"go away\",\"data\":{\"code\":42}}", refused.Data!.ToString(Newtonsoft.Json.Formatting.None));
        await Task.Delay(300);
        var refusedId = Assert.Single(Events.For("refused"));
        Assert.Equal(["connect"], Events.For(refusedId)); // no OnDisconnect, no OnFinish
    }

    [Fact]
    public async Task AuthorizeOnOnConnectRefusesTheConnection()
    {
        var client = await OpenAsync();

        var refused = await client.ConnectRawAsync("/private");

        Assert.Equal(4, refused.Type);
        Assert.Equal("{\"message\":\"Not authorized\"}", refused.Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task AnUndeclaredNamespaceIsInvalidAndADeclaredOneHasItsOwnHandlers()
    {
        var client = await OpenAsync();

        var invalid = await client.ConnectRawAsync("/nope");
        Assert.Equal("{\"message\":\"Invalid namespace\"}", invalid.Data!.ToString(Newtonsoft.Json.Formatting.None));

        await client.ConnectAsync("/admin");
        await client.ConnectAsync("/");
        await client.EmitAsync("/admin", "whoami", 1);
        await client.EmitAsync("/admin", "add", 2, 1, 2);
        await client.EmitAsync("/", "add", 3, 1, 2);
        Assert.Equal("[\"/admin\"]", (await client.ReceiveAckAsync(1, "/admin")).Data!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal("[1003]", (await client.ReceiveAckAsync(2, "/admin")).Data!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal("[3]", (await client.ReceiveAckAsync(3, "/")).Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task ChannelsArePerNamespace()
    {
        var root = await ConnectedAsync("/");
        var admin = await ConnectedAsync("/admin");
        await root.EmitAsync("/", "subscribe", 1, "room");
        await admin.EmitAsync("/admin", "subscribe", 1, "room");
        await root.ReceiveAckAsync(1);
        await admin.ReceiveAckAsync(1, "/admin");

        Assert.Equal(1, app.Broadcaster.Of("/admin").EmitChannel("room", "only-admin"));
        Assert.Equal(1, app.Broadcaster.EmitChannel("room", "only-root"));
        Assert.Equal(1, app.Broadcaster.Of("/admin").CountSubscribers("room"));
        Assert.Equal("/admin", app.Broadcaster.Of("/admin").Namespace);

        await admin.ReceiveEventAsync("only-admin", "/admin");
        await root.ReceiveEventAsync("only-root");
        await root.AssertNoneAsync(p => p.Type == 2 && (string?)p.Data![0] == "only-admin", TimeSpan.FromMilliseconds(300));
        await admin.AssertNoneAsync(p => p.Type == 2 && (string?)p.Data![0] == "only-root", TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task ABroadcastReachesZeroSixAndVersionFiveSessionsEachInItsEncoding()
    {
        var v5 = await ConnectedAsync();
        await v5.EmitAsync("/", "subscribe", 1, "mixed");
        await v5.ReceiveAckAsync(1);
        await using var old = new WebSocketTestClient(app.Address);
        await old.ConnectAsync();
        await old.SubscribeAsync("mixed");
        await Eventually.TrueAsync(() => Task.FromResult(app.Broadcaster.CountSubscribers("mixed") == 2), "both subscribed");

        // A v5 client emits to the channel: the 0.6 peer gets {"name","args"} (bytes as base64), the v5 peer binary.
        var sender = await ConnectedAsync();
        await sender.EmitAsync("/", "emitChannel", null, "mixed", "hello both");
        Assert.Equal("{\"name\":\"roomEvent\",\"args\":[\"hello both\",\"AQI=\"]}", (await old.ReceiveJsonAsync()).ToString(Newtonsoft.Json.Formatting.None));
        var roomEvent = await v5.ReceiveEventAsync("roomEvent");
        Assert.Equal(new byte[] { 1, 2 }, Assert.Single(roomEvent.Attachments));

        // An out-of-band message: the 0.6 frame to one, the event "message" to the other.
        Assert.Equal(2, app.Broadcaster.BroadcastChannel(new { n = 1 }, "mixed"));
        Assert.Equal("{\"n\":1}", (await old.ReceiveJsonAsync()).ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal("[\"message\",{\"n\":1}]", (await v5.ReceiveEventAsync("message")).Data!.ToString(Newtonsoft.Json.Formatting.None));
    }
}
