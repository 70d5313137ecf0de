using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.V5;

/// <summary>Events reach Socket.IO 0.6 sessions as the JSON message <c>{"name": ..., "args": [...]}</c> (bytes as
/// base64), from the Broadcaster and from handlers; 0.6 clients have no acks.</summary>
public sealed class ZeroSixEventTests : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(handlers => handlers.AddEventHandler<V5ApiHandlers>());

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<SocketIoTestClient> ConnectAsync(bool websocket)
    {
        SocketIoTestClient client = websocket ? new WebSocketTestClient(app.Address) : new PollingTestClient(app.Address, jsonp: false);
        await client.ConnectAsync();
        return client;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BroadcasterEventsReachAZeroSixSessionAsNameAndArgs(bool websocket)
    {
        await using var client = await ConnectAsync(websocket);
        await client.SubscribeAsync("room");
        await Eventually.TrueAsync(() => Task.FromResult(app.Broadcaster.CountSubscribers("room") == 1), "subscribed");

        Assert.Equal(1, app.Broadcaster.Emit("news", "a", 1, new byte[] { 1 }));
        Assert.Equal("{\"name\":\"news\",\"args\":[\"a\",1,\"AQ==\"]}", (await client.ReceiveJsonAsync()).ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal(1, app.Broadcaster.EmitChannel("room", "roomNews", new { x = 1 }));
        Assert.Equal("{\"name\":\"roomNews\",\"args\":[{\"x\":1}]}", (await client.ReceiveJsonAsync()).ToString(Newtonsoft.Json.Formatting.None));
        app.Broadcaster.EmitToSession(client.SessionId, "direct");
        Assert.Equal("{\"name\":\"direct\",\"args\":[]}", (await client.ReceiveJsonAsync()).ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal(1, await app.Broadcaster.EmitChannelAsync("room", "async", [true]).DefaultTimeout());
        Assert.Equal("{\"name\":\"async\",\"args\":[true]}", (await client.ReceiveJsonAsync()).ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task AHandlerEmitsToItsZeroSixSession()
    {
        await using var client = await ConnectAsync(websocket: true);

        await client.SendAsync(new { action = "emit" });

        Assert.Equal("{\"name\":\"hello\",\"args\":[\"from\",\"AQ==\"]}", (await client.ReceiveJsonAsync()).ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public async Task EmitWithAckOnAZeroSixSessionSaysZeroSixClientsHaveNoAcks()
    {
        await using var client = await ConnectAsync(websocket: true);

        await client.SendAsync(new { action = "askAck" });

        Assert.Contains("0.6 clients have no acknowledgements", await client.ReceiveTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BroadcastsOfNamespaceAdminDoNotReachZeroSixSessions()
    {
        await using var client = await ConnectAsync(websocket: true);
        await client.SubscribeAsync("room");
        await Eventually.TrueAsync(() => Task.FromResult(app.Broadcaster.CountSubscribers("room") == 1), "subscribed");

        Assert.Throws<NoSocketException>(() => app.Broadcaster.Of("/admin").EmitChannel("room", "not for 0.6"));
        Assert.Throws<NoSocketException>(() => app.Broadcaster.Of("/admin").Broadcast("not for 0.6"));
        Assert.Equal(0, app.Broadcaster.Of("/admin").CountSubscribers("room"));
        await client.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
    }
}
