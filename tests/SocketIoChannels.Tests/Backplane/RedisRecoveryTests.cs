using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;
using StackExchange.Redis;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>Connection state recovery with two servers on a real redis-server: what the other server sent while a
/// socket was suspended gets this server's offsets and is replayed on recovery.</summary>
public sealed class RedisRecoveryTests : IAsyncLifetime
{
    private readonly string prefix = TestRedis.UniquePrefix();
    private TestApp a = null!;
    private TestApp b = null!;

    public async Task InitializeAsync()
    {
        var redis = await TestRedis.AddressAsync();
        a = await StartNodeAsync(redis);
        b = await StartNodeAsync(redis);
    }

    private Task<TestApp> StartNodeAsync(string redis) =>
        TestApp.StartAsync(handlers => handlers.AddEventHandler<TestHandlers>()
            .AddStackExchangeRedis(redis, options =>
            {
                options.ChannelPrefix = prefix;
                options.Configuration.ConnectTimeout = 2000;
                options.Configuration.ReconnectRetryPolicy = new LinearRetry(250);
            }),
            options => options.ConnectionStateRecovery.MaxDisconnectionDuration = TimeSpan.FromSeconds(60));

    public async Task DisposeAsync()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
    }

    [Fact]
    public async Task BroadcastsFromTheOtherServerMissedWhileSuspendedAreReplayedInOrder()
    {
        var recorder = b.Services.GetRequiredService<EventRecorder>();
        var first = new EngineIoWebSocketClient(b.Address);
        await first.OpenAsync();
        await first.SendAsync("40");
        var answer = JObject.Parse((await first.ReceivePacketAsync())![2..]);
        var (sid, pid) = ((string)answer["sid"]!, (string)answer["pid"]!);
        await first.SendAsync("42[\"subscribe\",\"room\"]");
        await recorder.WaitForAsync(sid, e => e.Contains("subscribe:room"));
        await a.Broadcaster.BroadcastChannelAsync("before", "room").DefaultTimeout();
        var before = JArray.Parse((await first.ReceivePacketAsync())![2..]);
        Assert.Equal("before", (string)before[1]!);

        first.Socket.Abort();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (b.Services.GetRequiredService<SessionStore>().Find(sid)?.IsSuspended != true)
        {
            Assert.True(DateTime.UtcNow < deadline, "the socket was not suspended within 10 s");
            await Task.Delay(10);
        }

        await a.Broadcaster.BroadcastChannelAsync("missed 1", "room").DefaultTimeout();
        await a.Broadcaster.BroadcastChannelAsync("missed 2", "room").DefaultTimeout();

        await using var second = new EngineIoWebSocketClient(b.Address);
        await second.OpenAsync();
        await second.SendAsync("40{\"pid\":\"" + pid + "\",\"offset\":\"" + (string)before[2]! + "\"}");
        Assert.Equal("40{\"sid\":\"" + sid + "\",\"pid\":\"" + pid + "\"}", await second.ReceivePacketAsync());
        var missed1 = JArray.Parse((await second.ReceivePacketAsync())![2..]);
        var missed2 = JArray.Parse((await second.ReceivePacketAsync())![2..]);
        Assert.Equal(["message", "missed 1"], missed1.Take(2).Select(token => (string)token!));
        Assert.Equal(["message", "missed 2"], missed2.Take(2).Select(token => (string)token!));
        Assert.True(long.Parse((string)before[2]!) < long.Parse((string)missed1[2]!) && long.Parse((string)missed1[2]!) < long.Parse((string)missed2[2]!));
    }
}
