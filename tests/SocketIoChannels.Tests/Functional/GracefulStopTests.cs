using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SocketIoChannels.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketIoChannels.Tests.Functional;

/// <summary>Stopping the host under load: every live session's teardown runs exactly once, and no handler runs after
/// the host has stopped (issue 6).</summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    /// <summary>Every handler run with its start and end time, and whether the host had already stopped.</summary>
    public sealed class StopLedger
    {
        public ConcurrentQueue<(string Session, string Event, long Start, long End)> Runs { get; } = new();

        public ConcurrentQueue<string> StartedAfterStop { get; } = new();

        public long StoppedAt = long.MaxValue;

        public int Working;

        /// <summary>Holds the "work" and "stubborn" handlers until the test lets them end.</summary>
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task RecordAsync(ISocket socket, string @event, Func<Task>? work = null)
        {
            var start = Stopwatch.GetTimestamp();
            if (start > Volatile.Read(ref StoppedAt))
            {
                StartedAfterStop.Enqueue(socket.SessionId + " " + @event);
            }

            if (work is not null)
            {
                await work();
            }

            Runs.Enqueue((socket.SessionId, @event, start, Stopwatch.GetTimestamp()));
        }

        public IEnumerable<string> EventsOf(string session) => Runs.Where(r => r.Session == session).Select(r => r.Event);
    }

    public sealed class StopHandlers(StopLedger ledger)
    {
        [OnConnect]
        public Task Connect(ISocket socket) => ledger.RecordAsync(socket, "connect");

        [OnSubscribe]
        public Task Subscribe(ISocket socket, string channel) => ledger.RecordAsync(socket, "subscribe:" + channel);

        [OnMessage]
        public Task Message(ISocket socket, string message) => ledger.RecordAsync(socket, "message:" + message, async () =>
        {
            if (message is "work" or "stubborn")
            {
                // Ignores the session's end: runs until the test opens the gate (for "stubborn": after the shutdown
                // timeout).
                Interlocked.Increment(ref ledger.Working);
                await ledger.Gate.Task.WaitAsync(TaskTimeouts.Default);
            }
        });

        [OnUnsubscribe]
        public Task Unsubscribe(ISocket socket, string channel) => ledger.RecordAsync(socket, "unsubscribe:" + channel);

        [OnDisconnect]
        public Task Disconnect(ISocket socket) => ledger.RecordAsync(socket, "disconnect");

        [OnFinish]
        public Task Finish(ISocket socket) => ledger.RecordAsync(socket, "finish", () => Task.Delay(5, CancellationToken.None));
    }

    // The close timeout of the connections runs on this clock, which only the tests move. The host's shutdown
    // timeout is the host's own (real time).
    private readonly FakeTimeProvider clock = new();

    private Task<TestApp> StartAsync(TimeSpan shutdownTimeout) => TestApp.StartAsync(
        h => h.AddEventHandler<StopHandlers>(),
        services: s =>
        {
            s.AddSingleton<StopLedger>();
            s.AddSingleton<TimeProvider>(clock);
            s.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout);
        });

    private static async Task UntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TaskTimeouts.Default, "the condition never held");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits for the host to stop, moving the app's clock on meanwhile: a test client that does not answer
    /// the server's close is cut off at the close timeout, which the stop waits for.</summary>
    private async Task StoppedAsync(Task stopping)
    {
        var elapsed = Stopwatch.StartNew();
        while (!stopping.IsCompleted)
        {
            Assert.True(elapsed.Elapsed < TaskTimeouts.Default, "the host did not stop");
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(stopping, Task.Delay(50));
        }

        await stopping;
    }

    [Fact]
    public async Task StoppingUnderLoadFinishesEverySessionOnceAndRunsNoHandlerAfterwards()
    {
        var app = await StartAsync(TimeSpan.FromSeconds(30));
        var ledger = app.Services.GetRequiredService<StopLedger>();
        var clients = new List<SocketIoTestClient>();
        for (var i = 0; i < 120; i++)
        {
            clients.Add((i % 3) switch
            {
                0 => (SocketIoTestClient)new WebSocketTestClient(app.Address),
                1 => new PollingTestClient(app.Address, jsonp: false),
                _ => new PollingTestClient(app.Address, jsonp: true),
            });
        }

        var ids = await Task.WhenAll(clients.Select(async (client, i) =>
        {
            var id = await client.ConnectAsync();
            await client.SendAsync("__subscribe__", "all", "__subscribe__", "room-" + (i % 7), "work", "queued");
            return id;
        })).WaitAsync(TimeSpan.FromSeconds(60));

        // Stop while the "work" handler of every session is running and its next message waits behind it; let the
        // handlers end only once every session has ended.
        await UntilAsync(() => Volatile.Read(ref ledger.Working) == clients.Count);
        var server = app.Services.GetRequiredService<SocketIoChannels.Server.SocketIoServer>();
        var stopping = app.StopAsync();
        await UntilAsync(() => server.Sessions.Count == 0);
        Assert.False(stopping.IsCompleted, "the host stopped before the running handlers ended");
        ledger.Gate.SetResult();

        await StoppedAsync(stopping);
        Volatile.Write(ref ledger.StoppedAt, Stopwatch.GetTimestamp());

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var events = ledger.EventsOf(id).ToList();
            Assert.Equal(1, events.Count(e => e == "finish"));
            Assert.Equal(0, events.Count(e => e == "disconnect")); // the clients did not disconnect
            Assert.Equal(1, events.Count(e => e == "unsubscribe:all"));
            Assert.Equal(1, events.Count(e => e == "unsubscribe:room-" + (i % 7)));
            Assert.Equal("finish", events[^1]);
            Assert.Contains("message:work", events); // a handler already running is waited for, not cut off
        }

        // Every handler ended before StopAsync returned; none starts later, even with clients still polling.
        Assert.All(ledger.Runs, r => Assert.True(r.End <= ledger.StoppedAt, $"{r.Event} of {r.Session} ended after the host stopped"));
        await Task.Delay(500);
        Assert.Empty(ledger.StartedAfterStop);
        Assert.Equal(0, server.Sessions.Count);
        Assert.Equal(0, app.Services.GetRequiredService<SocketIoChannels.Channels.ChannelRegistry<SocketIoChannels.Sessions.Session>>().ChannelCount);

        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
        await app.DisposeAsync();
    }

    [Fact]
    public async Task StoppingTheHostRunsOnUnsubscribeAndOnFinishButNotOnDisconnect()
    {
        // django-socketio's client_end_all on server stop: on_unsubscribe per channel and on_finish, no on_disconnect
        // (the client did not disconnect; issue 12, item 6).
        var app = await StartAsync(TimeSpan.FromSeconds(30));
        var ledger = app.Services.GetRequiredService<StopLedger>();
        await using var webSocket = new WebSocketTestClient(app.Address);
        await using var polling = new PollingTestClient(app.Address, jsonp: false);
        var ids = new[] { await webSocket.ConnectAsync(), await polling.ConnectAsync() };
        await webSocket.SendAsync("__subscribe__", "room", "__subscribe__", "lobby");
        await polling.SendAsync("__subscribe__", "room", "__subscribe__", "lobby");
        await UntilAsync(() => ids.All(id => ledger.EventsOf(id).Contains("subscribe:lobby")));

        await StoppedAsync(app.StopAsync());

        foreach (var id in ids)
        {
            Assert.Equal(["connect", "subscribe:room", "subscribe:lobby", "unsubscribe:room", "unsubscribe:lobby", "finish"], ledger.EventsOf(id));
        }

        await app.DisposeAsync();
    }

    [Fact]
    public async Task AHandlerThatOutlivesTheShutdownTimeoutStartsNoFurtherHandler()
    {
        var app = await StartAsync(TimeSpan.FromSeconds(1));
        var ledger = app.Services.GetRequiredService<StopLedger>();
        await using var stubborn = new WebSocketTestClient(app.Address);
        await using var idle = new PollingTestClient(app.Address, jsonp: false);
        var stubbornId = await stubborn.ConnectAsync();
        var idleId = await idle.ConnectAsync();
        await idle.SubscribeAsync("room");
        await stubborn.SendAsync("__subscribe__", "room", "stubborn", "next");
        await UntilAsync(() => Volatile.Read(ref ledger.Working) >= 1 && ledger.EventsOf(idleId).Contains("subscribe:room"));

        await app.StopAsync().DefaultTimeout();
        Volatile.Write(ref ledger.StoppedAt, Stopwatch.GetTimestamp());

        // The idle session got its whole teardown in time.
        Assert.Equal(["connect", "subscribe:room", "unsubscribe:room", "finish"], ledger.EventsOf(idleId));

        // The stubborn handler is not interrupted, but once it ends (after the stop) nothing more runs for its
        // session.
        Assert.Equal(["connect", "subscribe:room"], ledger.EventsOf(stubbornId));
        ledger.Gate.SetResult();
        await UntilAsync(() => ledger.EventsOf(stubbornId).Contains("message:stubborn"));

        await Task.Delay(300);
        Assert.Equal(["connect", "subscribe:room", "message:stubborn"], ledger.EventsOf(stubbornId));
        Assert.Empty(ledger.StartedAfterStop);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 222);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 303 && e.Message.Contains(stubbornId, StringComparison.Ordinal));
        await app.DisposeAsync();
    }

    [Fact]
    public async Task ClientsThatStopReadingDuringALargeSendDelayTheStopByAtMostTheCloseTimeout()
    {
        // Without the bound, Kestrel would wait for these connections until the host's shutdown timeout.
        var app = await StartAsync(TimeSpan.FromSeconds(20));
        var ledger = app.Services.GetRequiredService<StopLedger>();
        using var webSocket = new ClientWebSocket();
        using var tcp = new TcpClient();
        var webSocketId = await CloseDuringSendTests.ConnectAsync(app.Address, webSocket);
        var (_, hixieId) = await CloseDuringSendTests.ConnectHixieAsync(app.Address, tcp);
        var large = new string('x', 16 * 1024 * 1024);
        app.Broadcaster.Send(webSocketId, large);
        app.Broadcaster.Send(hixieId, large);
        await Task.Delay(200); // both send loops are now blocked in the write: neither client reads

        // The sessions end and their teardowns run; the two connections are then closing, and the stop waits for them
        // until the close timeout (5 s on the app's clock), not the host's 20 s.
        var stopping = app.StopAsync();
        await UntilAsync(() => ledger.EventsOf(webSocketId).LastOrDefault() == "finish" && ledger.EventsOf(hixieId).LastOrDefault() == "finish");
        clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "the stop did not wait for the connections");
        Assert.DoesNotContain(app.Logs.Entries, e => e.EventId.Id == 105);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var elapsed = Stopwatch.StartNew();
        await stopping.DefaultTimeout();
        output.WriteLine($"stopped {elapsed.Elapsed.TotalSeconds:F2} s after the close timeout");

        Assert.Equal("finish", ledger.EventsOf(webSocketId).Last());
        Assert.Equal("finish", ledger.EventsOf(hixieId).Last());
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 105 && e.Message.Contains(webSocketId, StringComparison.Ordinal));
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 105 && e.Message.Contains(hixieId, StringComparison.Ordinal));
        await app.DisposeAsync();
    }
}
