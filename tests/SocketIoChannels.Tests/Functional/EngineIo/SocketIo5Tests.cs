using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>The Socket.IO 5 layer over Engine.IO (docs/protocol-v5.md §2): namespaces, CONNECT, DISCONNECT, events
/// and channels, with the same handlers as 0.6 sessions.</summary>
public sealed class SocketIo5Tests
{
    [Fact]
    public async Task TheConnectAnswerComesAfterOnConnectAndBeforeWhatItSent()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<WelcomeHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        await client.OpenAsync();

        await client.SendAsync("40{\"token\":\"abc\"}");

        var answer = await client.ReceivePacketAsync();
        Assert.StartsWith("40{\"sid\":\"", answer, StringComparison.Ordinal);
        var socketId = (string)JObject.Parse(answer![2..])["sid"]!;
        Assert.Equal($"42[\"message\",\"welcome {socketId} abc\"]", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task AnUnknownNamespaceIsRefusedAndTheSessionLivesOn()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        await client.OpenAsync();

        await client.SendAsync("40/admin,");

        Assert.Equal("44/admin,{\"message\":\"Invalid namespace\"}", await client.ReceivePacketAsync());
        await client.SendAsync("40");
        Assert.StartsWith("40{\"sid\":", await client.ReceivePacketAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisconnectLeavesTheNamespaceOnlyAndAReconnectGetsANewSocket()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        var first = await client.ConnectAsync();
        var recorder = app.Services.GetRequiredService<EventRecorder>();

        await client.SendAsync("41");
        await recorder.WaitForAsync(first, e => e.Contains("disconnect"));
        await client.SendAsync("40");
        var answer = await client.ReceivePacketAsync();

        var second = (string)JObject.Parse(answer![2..])["sid"]!;
        Assert.NotEqual(first, second);
        await client.SendAsync("42[\"message\",\"again\"]");
        Assert.Equal("42[\"message\",\"again\"]", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task DisconnectFromTheServerSendsDisconnectForTheNamespace()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        await client.ConnectAsync();

        await client.SendAsync("42[\"message\",{\"action\":\"disconnect\"}]");

        Assert.Equal("41", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task SubscribeJoinsTheChannelAndChannelBroadcastsReachTheSocket()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();

        await client.SendAsync("42[\"subscribe\",\"room\"]");
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("subscribe:room"));
        app.Broadcaster.BroadcastChannel(new JObject { ["text"] = "to the room" }, "room");

        Assert.Equal("42[\"message\",{\"text\":\"to the room\"}]", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task ASubscriptionOverTheChannelLimitIsRefusedWithAnAckErrorAndTheSocketLivesOn()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.MaxChannelsPerSession = 1);
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();

        await client.SendAsync("42[\"subscribe\",\"one\"]");
        await client.SendAsync("427[\"subscribe\",\"two\"]");

        Assert.Equal("437[{\"message\":\"a session may subscribe to at most 1 channels\"}]", await client.ReceivePacketAsync());
        await client.SendAsync("42[\"message\",\"alive\"]");
        Assert.Equal("42[\"message\",\"alive\"]", await client.ReceivePacketAsync());
        Assert.DoesNotContain("subscribe:two", app.Services.GetRequiredService<EventRecorder>().For(socketId));
    }

    [Fact]
    public async Task AV5SocketIsASessionThatSendToSessionReaches()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();

        var session = app.Services.GetRequiredService<SessionStore>().Find(socketId)!;
        Assert.Equal(SessionProtocol.SocketIo5, session.Protocol);
        app.Broadcaster.Send(socketId, "direct");

        Assert.Equal("42[\"message\",\"direct\"]", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task ServerAcksAreCompletedByTheClientsAck()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();
        var session = app.Services.GetRequiredService<SessionStore>().Find(socketId)!;

        var id = session.RegisterAck(out var answer);
        await client.SendAsync($"43{id}[\"yes\",2]");

        Assert.Equal(new JToken[] { "yes", 2 }, await answer.DefaultTimeout(), JToken.EqualityComparer);
    }

    [Fact]
    public async Task ASlowConsumerIsDroppedWithoutWaitingForIt()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.MaxQueuedFrames = 5);
        using var client = new EngineIoPollingClient(app.Address);
        var socketId = await client.ConnectAsync();

        // The client does not poll: the sixth packet finds the queue full, and the sender is not made to wait.
        for (var i = 0; i < 5; i++)
        {
            app.Broadcaster.Send(socketId, i);
        }

        Assert.Throws<NoSocketException>(() => app.Broadcaster.Send(socketId, 5));

        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("disconnect"));
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 242);
        Assert.Null(app.Services.GetRequiredService<EngineIoSessionStore>().Find(client.Sid));
    }

    [Fact]
    public async Task SubscribeEventNamesAreConfigurable()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => { o.SubscribeEventName = "join"; o.UnsubscribeEventName = "leave"; });
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();
        var recorder = app.Services.GetRequiredService<EventRecorder>();

        await client.SendAsync("42[\"join\",\"room\"]");
        await client.SendAsync("42[\"leave\",\"room\"]");

        await recorder.WaitForAsync(socketId, e => e.Contains("unsubscribe:room"));
        Assert.Contains("subscribe:room", recorder.For(socketId));
    }

    /// <summary>OnConnect sends before the loop accepts the CONNECT.</summary>
    public sealed class WelcomeHandlers
    {
        [OnConnect]
        public void Connect(ISocket socket) =>
            socket.Send($"welcome {socket.SessionId} " + ((SocketIoChannels.Events.SocketHandle)socket).Session.Auth?["token"]);
    }
}
