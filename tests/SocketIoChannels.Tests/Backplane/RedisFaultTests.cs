using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using SocketIoChannels.Tests.Infrastructure;
using static SocketIoChannels.Tests.Backplane.Cluster;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>Redis goes away during traffic and comes back: the test runs its own redis-server so it can kill it.</summary>
public sealed class RedisFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WhenRedisStopsLocalDeliveryGoesOnHealthIsDegradedAndCrossServerDeliveryResumesWhenItReturns()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        var prefix = TestRedis.UniquePrefix();
        await using var a = await StartNodeAsync(redis.Address, prefix, services => services.AddHealthChecks().AddSocketIoChannels());
        await using var b = await StartNodeAsync(redis.Address, prefix, services => services.AddHealthChecks().AddSocketIoChannels());
        using var failures = new PublishFailureCounter(a.Services.GetRequiredService<IMeterFactory>());
        await using var a1 = new WebSocketTestClient(a.Address);
        await using var a2 = new PollingTestClient(a.Address, jsonp: false);
        await using var b1 = new WebSocketTestClient(b.Address);
        foreach (var client in new SocketIoTestClient[] { a1, a2, b1 })
        {
            await client.ConnectAsync();
            await client.SubscribeAsync("room");
        }

        await WaitForListenersAsync(redis.Address, prefix, "bus", 2);
        await WaitForSubscribersAsync(a, "room", 3);
        await CommandAsync(a1, "sendAndBroadcastChannel", "before");
        await ExpectEachAsync("before", a1, a2, b1);
        Assert.Equal(HealthStatus.Healthy, (await HealthAsync(a)).Status);
        Assert.Equal(0, failures.Value);

        await redis.StopAsync();
        await Eventually.TrueAsync(async () => (await HealthAsync(a)).Status == HealthStatus.Degraded, "a reports Degraded");
        var degraded = await HealthAsync(a);
        Assert.Contains("disconnected", degraded.Entries["socketio"].Description);
        Assert.Equal(2, degraded.Entries["socketio"].Data["sessions"]);

        // Traffic during the outage: the sender and its local peers get everything, nobody sees an exception.
        for (var i = 0; i < 5; i++)
        {
            await CommandAsync(a1, "sendAndBroadcastChannel", "during " + i);
            await ExpectEachAsync("during " + i, a1, a2);
        }

        Assert.Equal(2, a.Broadcaster.BroadcastChannel("sync during", "room"));
        Assert.Equal(2, await a.Broadcaster.BroadcastChannelAsync("async during", "room").DefaultTimeout());
        await ExpectEachAsync("sync during", a1, a2);
        await ExpectEachAsync("async during", a1, a2);
        await b1.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(200));
        Assert.True(failures.Value >= 7, $"publish failures counted: {failures.Value}");
        var warnings = a.Logs.Where(e => e.EventId.Id == 500).ToList();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.All(warnings, w => Assert.DoesNotContain("..", w.Message, StringComparison.Ordinal)); // issue 11: "not connected.. Sessions"
        Assert.True(warnings.Count < failures.Value, "the publish-failure warning is rate-limited");
        var recorder = a.Services.GetRequiredService<EventRecorder>();
        Assert.DoesNotContain(recorder.For(a1.SessionId), e => e.StartsWith("error:", StringComparison.Ordinal));

        await redis.StartAgainAsync();
        var restarted = Stopwatch.StartNew();
        var resumed = false;
        for (var i = 0; !resumed && restarted.Elapsed < TimeSpan.FromSeconds(5); i++)
        {
            await CommandAsync(a1, "broadcastChannel", "after " + i);
            await ExpectAsync(a2, "after " + i);
            try
            {
                var got = await b1.ReceiveAsync(TimeSpan.FromMilliseconds(100));
                Assert.StartsWith("after ", Text(got));
                resumed = true;
            }
            catch (TimeoutException)
            {
            }
        }

        Assert.True(resumed, "cross-server delivery did not resume within 5 s of Redis coming back");
        output.WriteLine($"cross-server delivery resumed {restarted.ElapsedMilliseconds} ms after redis-server started again");
        await Eventually.TrueAsync(async () => (await HealthAsync(a)).Status == HealthStatus.Healthy, "a is Healthy again");
        Assert.Equal(HealthStatus.Healthy, (await HealthAsync(b)).Status);

        // b's subscription came back too: a message from b reaches a.
        await CommandAsync(b1, "broadcastChannel", "from b after");
        await Drain(a2, "from b after");
    }

    [Fact]
    public async Task AServerStartsWhileRedisIsDownAndJoinsTheClusterWhenItComesUp()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await redis.StopAsync(); // a free port where nothing listens yet
        var prefix = TestRedis.UniquePrefix();
        await using var a = await StartNodeAsync(redis.Address, prefix, services => services.AddHealthChecks().AddSocketIoChannels());
        await using var a1 = new WebSocketTestClient(a.Address);
        await using var a2 = new PollingTestClient(a.Address, jsonp: false);
        await a1.ConnectAsync();
        await a2.ConnectAsync();
        await a1.SubscribeAsync("room");
        await a2.SubscribeAsync("room");

        // A client's subscribe is handled after its send returned (a poll's POST is answered once the message is
        // queued): one run broadcast before a2's subscribe was handled, and a2 rightly got nothing.
        await Eventually.TrueAsync(() => Task.FromResult(a.Broadcaster.CountSubscribers("room") == 2), "a1 and a2 subscribed on a");
        Assert.Equal(HealthStatus.Degraded, (await HealthAsync(a)).Status);
        Assert.Contains(a.Logs.Entries, e => e.EventId.Id == 507 && e.Level == LogLevel.Warning);
        await CommandAsync(a1, "broadcastChannel", "local only");
        await ExpectAsync(a2, "local only");

        await redis.StartAgainAsync();
        await using var b = await StartNodeAsync(redis.Address, prefix);
        await using var b1 = new WebSocketTestClient(b.Address);
        await b1.ConnectAsync();
        await b1.SubscribeAsync("room");

        // a subscribes to the bus (retried with backoff) and writes its presence only now that Redis is there.
        await WaitForListenersAsync(redis.Address, prefix, "bus", 2);
        await WaitForSubscribersAsync(b, "room", 3);
        await Eventually.TrueAsync(async () => (await HealthAsync(a)).Status == HealthStatus.Healthy, "a is Healthy");
        await CommandAsync(b1, "broadcastChannel", "from b");
        await ExpectEachAsync("from b", a1, a2);
        await CommandAsync(a2, "broadcastChannel", "from a");
        await ExpectEachAsync("from a", a1, b1);
    }

    /// <summary>Issue 11: the synchronous sends never wait for Redis, even with nobody on this server to deliver
    /// to (they used to wait up to 5 s for the publish's count, on the caller's thread, a handler's included).</summary>
    [Fact]
    public async Task SynchronousSendsDoNotWaitForASlowRedis()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        var prefix = TestRedis.UniquePrefix();
        await using var a = await StartNodeAsync(redis.Address, prefix);
        await using var b = await StartNodeAsync(redis.Address, prefix);
        await using var b1 = new WebSocketTestClient(b.Address);
        await b1.ConnectAsync();
        await b1.SubscribeAsync("room");
        await WaitForSubscribersAsync(a, "room", 1);
        await WaitForKnownSubscriberNodesAsync(a, "room", 1);

        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Address + ",allowAdmin=true").DefaultTimeout();
        await admin.GetServer(redis.Address).ExecuteAsync("CLIENT", "PAUSE", "2000", "ALL").DefaultTimeout();
        var watch = Stopwatch.StartNew();
        Assert.Equal(1, a.Broadcaster.BroadcastChannel("while redis is slow", "room")); // server b, known without asking Redis
        a.Broadcaster.Send(b1.SessionId, "direct while redis is slow");
        watch.Stop();
        Assert.True(watch.ElapsedMilliseconds < 1000, $"the synchronous sends took {watch.ElapsedMilliseconds} ms");

        // Both still arrive, in order, once Redis answers again.
        await ExpectAsync(b1, "while redis is slow");
        await ExpectAsync(b1, "direct while redis is slow");
    }

    private static async Task Drain(SocketIoTestClient client, string expected)
    {
        // Late copies of the "after N" probes may still be queued ahead of the message.
        while (true)
        {
            var message = await client.ReceiveAsync();
            if (Text(message) == expected)
            {
                return;
            }
        }
    }

    private static string? Text(Received message) => message.IsJson ? message.Json.ToObject<string>() : message.Text;

    private static Task<HealthReport> HealthAsync(TestApp app) =>
        app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().DefaultTimeout();

    private sealed class PublishFailureCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private long value;

        public PublishFailureCounter(IMeterFactory factory)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "SocketIoChannels" && instrument.Name == "socketio.server.backplane.publish_failures"
                    && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => Interlocked.Add(ref value, measurement));
            listener.Start();
        }

        public long Value => Interlocked.Read(ref value);

        public void Dispose() => listener.Dispose();
    }
}
