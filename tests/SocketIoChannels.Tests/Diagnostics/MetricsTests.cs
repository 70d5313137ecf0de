using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Diagnostics;

/// <summary>The SocketIoChannels meter, read with MetricCollector against a real Kestrel app.</summary>
public sealed class MetricsTests
{
    private const string Transport = "socketio.transport";
    private const string Reason = "socketio.session.close_reason";
    private const string Direction = "socketio.message.direction";

    private static Task<TestApp> StartAsync(Action<SocketIoOptions>? options = null) =>
        TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMinutes(1); // no heartbeat frames unless a test asks for them
            options?.Invoke(o);
        });

    private static SocketIoTestClient Client(TestApp app, string client) => client switch
    {
        "websocket" => new WebSocketTestClient(app.Address),
        "hixie-76" => new HixieTestClient(app.Address, draft76: true),
        "xhr-polling" => new PollingTestClient(app.Address, jsonp: false),
        "jsonp-polling" => new PollingTestClient(app.Address, jsonp: true),
        _ => new StreamingHttpTestClient(app.Address, client),
    };

    private static CollectedMeasurement<double> Duration(AppMetrics metrics) => Assert.Single(metrics.SessionDuration.GetMeasurementSnapshot());

    [Fact]
    public async Task ActiveSessionsGoUpAndDownAndANormalCloseRecordsTheDuration()
    {
        await using var app = await StartAsync();
        using var metrics = new AppMetrics(app);
        var client = new WebSocketTestClient(app.Address);
        await using var _ = client;

        await client.ConnectAsync();
        await AppMetrics.UntilAsync(() => AppMetrics.Sum(metrics.ActiveSessions, (Transport, "websocket")) == 1, () => "one active websocket session");
        Assert.Empty(metrics.SessionDuration.GetMeasurementSnapshot());
        await Task.Delay(100);
        await client.CloseAsync();

        await AppMetrics.UntilAsync(() => metrics.SessionDuration.GetMeasurementSnapshot().Count == 1, () => "a session duration");
        Assert.Equal(0, AppMetrics.Sum(metrics.ActiveSessions));
        var duration = Duration(metrics);
        Assert.Equal("websocket", duration.Tags[Transport]);
        Assert.Equal("normal", duration.Tags[Reason]);
        Assert.InRange(duration.Value, 0.1, 15);
    }

    [Fact]
    public async Task AMissedHeartbeatRecordsTheDurationWithReasonTimeout()
    {
        await using var app = await StartAsync(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
            o.HeartbeatTimeout = TimeSpan.FromMilliseconds(200);
        });
        using var metrics = new AppMetrics(app);
        var client = new WebSocketTestClient(app.Address) { EchoHeartbeats = false };
        await using var _ = client;

        await client.ConnectAsync();
        await client.Closed.DefaultTimeout();

        await AppMetrics.UntilAsync(() => metrics.SessionDuration.GetMeasurementSnapshot().Count == 1, () => "a session duration");
        Assert.Equal("timeout", Duration(metrics).Tags[Reason]);
        Assert.Equal(0, AppMetrics.Sum(metrics.ActiveSessions));
        Assert.Equal(0, AppMetrics.Sum(metrics.DroppedSessions));
    }

    [Fact]
    public async Task AKickedSessionAndStoppingTheHostRecordTheirReasons()
    {
        var app = await StartAsync();
        using var metrics = new AppMetrics(app);
        var kicked = new PollingTestClient(app.Address, jsonp: false);
        var staying = new PollingTestClient(app.Address, jsonp: true);
        try
        {
            await kicked.ConnectAsync();
            await staying.ConnectAsync();
            await kicked.SendAsync(new JObject { ["action"] = "disconnect" });
            await AppMetrics.UntilAsync(() => metrics.SessionDuration.GetMeasurementSnapshot().Count == 1, () => "the kicked session's duration");
            Assert.Equal("kicked", Duration(metrics).Tags[Reason]);
            Assert.Equal("xhr-polling", Duration(metrics).Tags[Transport]);
            await kicked.DisposeAsync();

            await app.StopAsync();

            var last = metrics.SessionDuration.LastMeasurement!;
            Assert.Equal(2, metrics.SessionDuration.GetMeasurementSnapshot().Count);
            Assert.Equal("app_shutdown", last.Tags[Reason]);
            Assert.Equal("jsonp-polling", last.Tags[Transport]);
            Assert.Equal(0, AppMetrics.Sum(metrics.ActiveSessions));
        }
        finally
        {
            await kicked.DisposeAsync();
            await staying.DisposeAsync();
            await app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("websocket", "websocket")]
    [InlineData("hixie-76", "websocket")]
    [InlineData("xhr-polling", "xhr-polling")]
    [InlineData("jsonp-polling", "jsonp-polling")]
    [InlineData("htmlfile", "htmlfile")]
    [InlineData("xhr-multipart", "xhr-multipart")]
    public async Task MessagesAreCountedInAndOutPerTransport(string clientKind, string transport)
    {
        await using var app = await StartAsync();
        using var metrics = new AppMetrics(app);
        var client = Client(app, clientKind);
        await using var _ = client;
        await client.ConnectAsync();

        await client.SubscribeAsync("room-1");
        foreach (var text in new[] { "one", "two", "three" })
        {
            await client.SendAsync(text);
            Assert.Equal(text, await client.ReceiveTextAsync());
        }

        // In: the subscribe and the three messages. Out: the session id, then the three echoes.
        await AppMetrics.UntilAsync(() => AppMetrics.Sum(metrics.Messages, (Direction, "out")) == 4 && AppMetrics.Sum(metrics.Messages, (Direction, "in")) == 4,
            () => $"in {AppMetrics.Sum(metrics.Messages, (Direction, "in"))}, out {AppMetrics.Sum(metrics.Messages, (Direction, "out"))}");
        Assert.Equal(8, AppMetrics.Sum(metrics.Messages, (Transport, transport)));
    }

    [Fact]
    public async Task SubscriptionsCountEverySessionInEveryChannel()
    {
        await using var app = await StartAsync();
        using var metrics = new AppMetrics(app);
        var recorder = app.Services.GetService(typeof(EventRecorder)) as EventRecorder;
        var a = new WebSocketTestClient(app.Address);
        var b = new WebSocketTestClient(app.Address);
        await using var _ = a;
        await using var __ = b;
        var idA = await a.ConnectAsync();
        var idB = await b.ConnectAsync();

        await a.SubscribeAsync("room-1");
        await a.SubscribeAsync("room-2");
        await a.SubscribeAsync("room-1"); // already in it: no new subscription
        await b.SubscribeAsync("room-1");
        await recorder!.WaitForAsync(idB, e => e.Contains("subscribe:room-1"));
        await recorder.WaitForAsync(idA, e => e.Count(x => x == "subscribe:room-1") == 2);
        Assert.Equal(3, AppMetrics.Sum(metrics.Subscriptions));

        await a.UnsubscribeAsync("room-2");
        await recorder.WaitForAsync(idA, e => e.Contains("unsubscribe:room-2"));
        Assert.Equal(2, AppMetrics.Sum(metrics.Subscriptions));

        await a.CloseAsync();
        await recorder.WaitForAsync(idA, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        await AppMetrics.UntilAsync(() => AppMetrics.Sum(metrics.Subscriptions) == 1, () => "one subscription left: " + AppMetrics.Sum(metrics.Subscriptions));
    }

    [Fact]
    public async Task DeliveriesEqualTheRecipientsOfEachBroadcast()
    {
        await using var app = await StartAsync();
        using var metrics = new AppMetrics(app);
        var recorder = (EventRecorder)app.Services.GetService(typeof(EventRecorder))!;
        var clients = new List<SocketIoTestClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = new WebSocketTestClient(app.Address);
                clients.Add(client);
                var id = await client.ConnectAsync();
                if (i < 3)
                {
                    await client.SubscribeAsync("room-9");
                    await recorder.WaitForAsync(id, e => e.Contains("subscribe:room-9"));
                }
            }

            metrics.Deliveries.Clear();
            Assert.Equal(3, app.Broadcaster.BroadcastChannel("to the room", "room-9"));
            Assert.Equal(3, Assert.Single(metrics.Deliveries.GetMeasurementSnapshot(clear: true)).Value);

            Assert.Equal(4, app.Broadcaster.Broadcast("to everyone"));
            Assert.Equal(4, Assert.Single(metrics.Deliveries.GetMeasurementSnapshot(clear: true)).Value);

            // From a handler: the two other subscribers get it.
            await clients[0].SendAsync(new JObject { ["action"] = "broadcastChannel", ["channel"] = "room-9", ["payload"] = "from a peer" });
            foreach (var peer in clients.Skip(1).Take(2))
            {
                Assert.Equal("to the room", await peer.ReceiveTextAsync());
                Assert.Equal("to everyone", await peer.ReceiveTextAsync());
                Assert.Equal("from a peer", await peer.ReceiveTextAsync());
            }

            // Recorded after the fan-out loop, on the sender's session loop: a peer may read the frame a moment before.
            await AppMetrics.UntilAsync(() => metrics.Deliveries.GetMeasurementSnapshot().Count > 0, () => "a delivery measurement");
            Assert.Equal(2, Assert.Single(metrics.Deliveries.GetMeasurementSnapshot()).Value);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ASlowConsumerIsCountedAsDroppedWithReasonSlowConsumer()
    {
        await using var app = await StartAsync(o => o.MaxQueuedFrames = 4);
        using var metrics = new AppMetrics(app);
        var slow = new PollingTestClient(app.Address, jsonp: false) { AutoPoll = false };
        await using var _ = slow;
        var id = await slow.ConnectAsync();

        for (var i = 0; i < 4; i++)
        {
            app.Broadcaster.Send(id, "frame " + i);
        }

        Assert.Empty(metrics.DroppedSessions.GetMeasurementSnapshot());
        Assert.Throws<NoSocketException>(() => app.Broadcaster.Send(id, "one too many"));

        var dropped = Assert.Single(metrics.DroppedSessions.GetMeasurementSnapshot());
        Assert.Equal(1, dropped.Value);
        Assert.Equal("xhr-polling", dropped.Tags[Transport]);
        Assert.Equal("slow_consumer", Duration(metrics).Tags[Reason]);
        Assert.Equal(0, AppMetrics.Sum(metrics.ActiveSessions));
        Assert.Equal(4, AppMetrics.Sum(metrics.Deliveries));
    }
}
