using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>The Engine.IO 4 WebSocket (docs/protocol-v5.md §1.3–§1.6), raw RFC 6455 with <see cref="ClientWebSocket"/>.</summary>
public sealed class EngineIoWebSocketTests
{
    [Fact]
    public async Task AWebSocketSessionOpensWithNoUpgradesAndCarriesMessagesBothWays()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();

        Assert.Equal(new JArray(), client.Handshake["upgrades"]);
        Assert.Equal(32, socketId.Length);
        Assert.NotEqual((string)client.Handshake["sid"]!, socketId); // the socket id is not the Engine.IO sid
        await client.SendAsync("42[\"message\",{\"a\":1}]");
        Assert.Equal("42[\"message\",{\"a\":1}]", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task BinaryAttachmentsArriveAsBytesAndBinaryPacketsGoAsBinaryFrames()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();

        await client.SendAsync("451-[\"message\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([1, 2, 3]);
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("message:\"AQID\""));
        // TestHandlers echoes the bytes with socket.Send: a binary event, its attachment a binary frame.
        Assert.Equal("451-[\"message\",{\"_placeholder\":true,\"num\":0}]", await client.ReceivePacketAsync());
        var echoed = await client.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, echoed.Type);
        Assert.Equal(new byte[] { 1, 2, 3 }, echoed.Bytes);

        // A binary packet queued for the session goes as a binary frame holding just its bytes, after the text one.
        var engine = app.Services.GetRequiredService<EngineIoSessionStore>().Find((string)client.Handshake["sid"]!)!;
        Assert.True(engine.TryEnqueue([
            EngineIoCodec.QueuedText(EngineIoPacketType.Message, "51-[\"file\",{\"_placeholder\":true,\"num\":0}]"),
            EngineIoCodec.QueuedBinary([9, 8, 7]),
        ]));
        Assert.Equal("451-[\"file\",{\"_placeholder\":true,\"num\":0}]", await client.ReceivePacketAsync());
        var (type, bytes) = await client.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 9, 8, 7 }, bytes);
    }

    [Fact]
    public async Task TheServerPingsAndAMissingPongClosesTheWebSocket()
    {
        var time = new FakeTimeProvider();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), services: s => s.AddSingleton<TimeProvider>(time));
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();

        var ping = client.ReceiveTextAsync();
        await EngineIoPollingTests.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => ping.IsCompleted);
        Assert.Equal("2", await ping);
        await client.SendAsync("3");

        ping = client.ReceiveTextAsync();
        await EngineIoPollingTests.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => ping.IsCompleted);
        Assert.Equal("2", await ping);
        var closed = client.ReceiveAsync();
        await EngineIoPollingTests.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => closed.IsCompleted);

        // A client that does not answer is cut off, as a 0.6 client whose heartbeat echo does not come.
        await Assert.ThrowsAsync<WebSocketException>(() => closed);
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("disconnect"));
    }

    [Fact]
    public async Task ACloseFromTheClientEndsTheSessionAndItsSockets()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();

        await client.SendAsync("1");

        Assert.Null(await client.ReceivePacketAsync());
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("disconnect") && e[^1].StartsWith("finish", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMalformedPacketClosesTheWebSocketAndEndsTheSession()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        var socketId = await client.ConnectAsync();

        await client.SendAsync("42[\"message\""); // invalid JSON

        Assert.Null(await client.ReceivePacketAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.Socket.CloseStatus);
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("disconnect"));
        Assert.Equal(0, app.Services.GetRequiredService<EngineIoSessionStore>().Count);
    }

    [Fact]
    public async Task AnUnknownSidIsRefusedBeforeTheUpgrade()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        client.Socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => client.OpenSocketAsync("unknown"));

        Assert.Equal(HttpStatusCode.BadRequest, client.Socket.HttpStatusCode);
    }

    [Fact]
    public async Task TheUpgradeFromPollingLosesAndReordersNothing()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var polling = new EngineIoPollingClient(app.Address);
        var socketId = await polling.ConnectAsync();
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var engine = app.Services.GetRequiredService<EngineIoSessionStore>().Find(polling.Sid)!;
        var held = polling.GetAsync();
        await Eventually.TrueAsync(() => Task.FromResult(engine.IsPollHeld), "a GET is held");

        await using var socket = new EngineIoWebSocketClient(app.Address);
        await socket.OpenSocketAsync(polling.Sid);
        await socket.SendAsync("2probe");
        Assert.Equal("3probe", await socket.ReceiveTextAsync());

        // The held GET ends with a noop; messages sent meanwhile over polling are echoed into the queue.
        var received = new List<string>((await held).Where(p => p != "6"));
        await polling.PostAsync("42[\"message\",1]", "42[\"message\",2]");
        await recorder.WaitForAsync(socketId, e => e.Contains("message:2"));
        await socket.SendAsync("5");
        for (var i = 3; i <= 5; i++)
        {
            await socket.SendAsync($"42[\"message\",{i}]");
        }

        while (received.Count < 5)
        {
            received.Add((await socket.ReceivePacketAsync())!);
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"42[\"message\",{i}]"), received);
        using var late = await polling.Http.GetAsync(polling.Url).DefaultTimeout();
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", await late.Content.ReadAsStringAsync().DefaultTimeout());

        // A second WebSocket for the same sid is closed; the first one goes on.
        await using var second = new EngineIoWebSocketClient(app.Address);
        await second.OpenSocketAsync(polling.Sid);
        Assert.Null(await second.ReceivePacketAsync());
        await socket.SendAsync("42[\"message\",6]");
        Assert.Equal("42[\"message\",6]", await socket.ReceivePacketAsync());
    }
}
