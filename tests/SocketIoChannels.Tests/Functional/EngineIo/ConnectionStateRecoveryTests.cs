using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>Connection state recovery (docs/protocol-v5.md §2.3, socket.io's <c>connectionStateRecovery</c>) with raw
/// packets over a real Kestrel: pid, offsets, a suspended socket restored with what it missed, the window, and off by
/// default.</summary>
public sealed class ConnectionStateRecoveryTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OffByDefaultTheConnectAnswerHasNoPidAndEventsNoOffset()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        await client.OpenAsync();

        await client.SendAsync("40");
        var answer = await client.ReceivePacketAsync();
        var sid = (string)JObject.Parse(answer![2..])["sid"]!;
        Assert.Equal("40{\"sid\":\"" + sid + "\"}", answer);
        app.Broadcaster.Emit("news", 1);

        Assert.Equal("42[\"news\",1]", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task ALostSocketIsRestoredWithItsChannelAndTheBroadcastsItMissedInOrder()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), Recovery);
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var first = new EngineIoWebSocketClient(app.Address);
        var (sid, pid) = await ConnectAsync(first, "40");
        await first.SendAsync("42[\"subscribe\",\"room\"]");
        await recorder.WaitForAsync(sid, e => e.Contains("subscribe:room"));
        app.Broadcaster.BroadcastChannel("before", "room");
        var offset = OffsetOf(await first.ReceivePacketAsync(), "\"before\"");

        first.Socket.Abort(); // the network drops: no DISCONNECT, no close
        await WaitUntilAsync(() => app.Services.GetRequiredService<SessionStore>().Find(sid)?.IsSuspended == true);
        app.Broadcaster.BroadcastChannel("missed 1", "room");
        Assert.Throws<NoSocketException>(() => app.Broadcaster.BroadcastChannel("elsewhere", "other-room")); // recorded, for no one here
        app.Broadcaster.BroadcastChannel(new JObject { ["missed"] = 2 }, "room");
        app.Broadcaster.Send(sid, "missed 3");

        await using var second = new EngineIoWebSocketClient(app.Address);
        await second.OpenAsync();
        await second.SendAsync("40{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
        Assert.Equal("40{\"sid\":\"" + sid + "\",\"pid\":\"" + pid + "\"}", await second.ReceivePacketAsync());
        var missed1 = OffsetOf(await second.ReceivePacketAsync(), "\"missed 1\"");
        var missed2 = OffsetOf(await second.ReceivePacketAsync(), "{\"missed\":2}");
        var missed3 = OffsetOf(await second.ReceivePacketAsync(), "\"missed 3\"");
        Assert.True(long.Parse(offset) < long.Parse(missed1) && long.Parse(missed1) < long.Parse(missed2) && long.Parse(missed2) < long.Parse(missed3));

        // Then live traffic, on the same channel, once; the handlers saw no teardown and no second OnConnect.
        app.Broadcaster.BroadcastChannel("live", "room");
        OffsetOf(await second.ReceivePacketAsync(), "\"live\"");
        await second.SendAsync("42[\"message\",\"echo\"]");
        OffsetOf(await second.ReceivePacketAsync(), "\"echo\"");
        Assert.Equal(["connect", "subscribe:room", "message:\"echo\""], recorder.For(sid));
    }

    [Fact]
    public async Task PastTheWindowTheSocketEndsWithItsTeardownAndItsClientGetsANewSocket()
    {
        var time = new FakeTimeProvider();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), Recovery, services: s => s.AddSingleton<TimeProvider>(time));
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var first = new EngineIoWebSocketClient(app.Address);
        var (sid, pid) = await ConnectAsync(first, "40");
        await first.SendAsync("42[\"subscribe\",\"room\"]");
        await recorder.WaitForAsync(sid, e => e.Contains("subscribe:room"));
        app.Broadcaster.BroadcastChannel("before", "room");
        var offset = OffsetOf(await first.ReceivePacketAsync(), "\"before\"");

        first.Socket.Abort();
        await WaitUntilAsync(() => app.Services.GetRequiredService<SessionStore>().Find(sid)?.IsSuspended == true);
        time.Advance(Window - TimeSpan.FromSeconds(1));
        await Task.Delay(100);
        Assert.Equal(["connect", "subscribe:room"], recorder.For(sid)); // suspended: no teardown yet
        time.Advance(TimeSpan.FromSeconds(2));
        var events = await recorder.WaitForAsync(sid, e => e.Any(entry => entry.StartsWith("finish:", StringComparison.Ordinal)));
        Assert.Equal(["connect", "subscribe:room", "disconnect", "unsubscribe:room", "finish:room:True"], events);

        await using var second = new EngineIoWebSocketClient(app.Address);
        var (newSid, newPid) = await ConnectAsync(second, "40{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
        Assert.NotEqual(sid, newSid);
        Assert.NotEqual(pid, newPid);
    }

    [Fact]
    public async Task OnlyASuspendedSocketIsSweptAndItsRestoreOrEndTakesItOutAgain()
    {
        // A connected socket's liveness is its Engine.IO session's pings: the session sweep visits only the 0.6
        // sessions and the suspended sockets, whose recovery window it watches (the idle CPU: bench/README.md).
        var time = new FakeTimeProvider();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), Recovery, services: s => s.AddSingleton<TimeProvider>(time));
        var store = app.Services.GetRequiredService<SessionStore>();
        var first = new EngineIoWebSocketClient(app.Address);
        var (sid, pid) = await ConnectAsync(first, "40");
        await using var other = new EngineIoWebSocketClient(app.Address);
        var (otherSid, _) = await ConnectAsync(other, "40");
        Assert.Equal(2, store.Count);
        Assert.Equal(0, store.SweptCount);

        first.Socket.Abort();
        await WaitUntilAsync(() => store.Find(sid)?.IsSuspended == true);
        Assert.Equal(1, store.SweptCount);
        other.Socket.Abort();
        await WaitUntilAsync(() => store.Find(otherSid)?.IsSuspended == true);
        Assert.Equal(2, store.SweptCount);

        // One comes back: its Engine.IO session keeps time for it again.
        await using var second = new EngineIoWebSocketClient(app.Address);
        await second.OpenAsync();
        await second.SendAsync("40{\"pid\":\"" + pid + "\"}");
        Assert.Equal("40{\"sid\":\"" + sid + "\",\"pid\":\"" + pid + "\"}", await second.ReceivePacketAsync());
        Assert.Equal(1, store.SweptCount);

        // The other one's window passes: the sweep ends it, and nothing is left to sweep.
        time.Advance(Window + TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => store.Find(otherSid) is null);
        Assert.Equal(0, store.SweptCount);
        Assert.NotNull(store.Find(sid));
    }

    [Fact]
    public async Task AnUnknownPidGetsANewSocketWithoutTheRecoveryIdsInItsAuth()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<AuthHandlers>(), Recovery);
        await using var client = new EngineIoWebSocketClient(app.Address);

        var (sid, pid) = await ConnectAsync(client, "40{\"pid\":\"unknown\",\"offset\":\"7\",\"token\":\"abc\"}");

        Assert.NotEqual("unknown", pid);
        Assert.NotEqual(sid, pid);
        Assert.True(pid.Length >= 20, "an unguessable pid: " + pid);
        Assert.Equal("42[\"auth\",{\"token\":\"abc\"},\"" + OffsetAfter(app) + "\"]", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task AClientDisconnectIsNotKeptForRecovery()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), Recovery);
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        await using var client = new EngineIoWebSocketClient(app.Address);
        var (sid, pid) = await ConnectAsync(client, "40");

        await client.SendAsync("41");
        await recorder.WaitForAsync(sid, e => e.Any(entry => entry.StartsWith("finish:", StringComparison.Ordinal)));
        var (again, _) = await ConnectAsync(new EngineIoWebSocketClient(app.Address), "40{\"pid\":\"" + pid + "\"}");
        Assert.NotEqual(sid, again);
    }

    private static string OffsetAfter(TestApp app) =>
        app.Services.GetRequiredService<SocketIoChannels.Broadcasting.SocketIoBroadcaster>().Recovery.LastOffset.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Recovery(SocketIoOptions options) => options.ConnectionStateRecovery.MaxDisconnectionDuration = Window;

    private static async Task<(string Sid, string Pid)> ConnectAsync(EngineIoWebSocketClient client, string connect)
    {
        await client.OpenAsync();
        await client.SendAsync(connect);
        var answer = JObject.Parse((await client.ReceivePacketAsync())![2..]);
        return ((string)answer["sid"]!, (string)answer["pid"]!);
    }

    /// <summary>The offset an event carries as its last argument, after asserting its one argument.</summary>
    private static string OffsetOf(string? packet, string argument)
    {
        Assert.NotNull(packet);
        Assert.StartsWith("42[\"message\"," + argument + ",\"", packet, StringComparison.Ordinal);
        var args = JArray.Parse(packet[2..]);
        Assert.Equal(3, args.Count);
        return (string)args[2]!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(10);
        }
    }
}
