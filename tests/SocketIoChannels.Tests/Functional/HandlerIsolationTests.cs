using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>Handlers that throw, hang or are slow harm only their own session (issue 6, "Clients that misbehave or
/// vanish").</summary>
public sealed class HandlerIsolationTests
{
    /// <summary>Lets a test hold a handler until it says so.</summary>
    public sealed class Gate
    {
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class IsolationHandlers(EventRecorder recorder, Gate gate)
    {
        [OnSubscribe]
        public void Subscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "subscribe:" + channel);

        [OnMessage]
        public async Task Message(ISocket socket, string message, CancellationToken cancellationToken)
        {
            var id = socket.SessionId;
            if (message == "throw")
            {
                throw new InvalidOperationException("thrown for " + id);
            }

            if (message == "hang")
            {
                recorder.Add(id, "hang-start");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    recorder.Add(id, "hang-cancelled");
                    throw;
                }
            }

            if (message == "block")
            {
                recorder.Add(id, "block-start");
                await gate.Open.Task; // ignores its token on purpose: only the test lets it go
                recorder.Add(id, "block-end");
            }

            if (message.StartsWith("slow:", StringComparison.Ordinal))
            {
                var n = int.Parse(message.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
                await Task.Delay(n % 3 * 15, CancellationToken.None); // later messages often finish their delay first
                await Task.Yield();
            }

            recorder.Add(id, "message:" + message);
            socket.Send("echo:" + message);
        }

        [OnError]
        public void Error(ISocket socket, Exception exception) => recorder.Add(socket.SessionId, "error:" + exception.Message);

        [OnDisconnect]
        public void Disconnect(ISocket socket, CancellationToken cancellationToken) =>
            recorder.Add(socket.SessionId, "disconnect:token-cancelled=" + cancellationToken.IsCancellationRequested);

        [OnFinish]
        public void Finish(ISocket socket, CancellationToken cancellationToken) =>
            recorder.Add(socket.SessionId, "finish:token-cancelled=" + cancellationToken.IsCancellationRequested);
    }

    public sealed class AsyncVoidHandler
    {
        [OnMessage]
        public async void Message(string message) => await Task.Yield();
    }

    private static Task<TestApp> StartAsync(Action<SocketIoOptions>? options = null) =>
        TestApp.StartAsync(h => h.AddEventHandler<IsolationHandlers>(), options, services: s => s.AddSingleton<Gate>());

    [Fact]
    public async Task AHandlerExceptionReachesOnlyItsOwnSession()
    {
        await using var app = await StartAsync();
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        await using var thrower = new WebSocketTestClient(app.Address);
        await using var other = new PollingTestClient(app.Address, jsonp: false);
        var throwerId = await thrower.ConnectAsync();
        var otherId = await other.ConnectAsync();

        await thrower.SendAsync("throw", "after");
        await other.SendAsync("meanwhile");

        Assert.Equal("echo:meanwhile", await other.ReceiveTextAsync());
        Assert.Equal("echo:after", await thrower.ReceiveTextAsync()); // the thrower's session goes on too
        Assert.Equal(["error:thrown for " + throwerId, "message:after"], recorder.For(throwerId));
        Assert.Equal(["message:meanwhile"], recorder.For(otherId));
        var logged = Assert.Single(app.Logs.Where(e => e.Level == LogLevel.Error && e.EventId.Id == 300));
        Assert.Contains(throwerId, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHandlerThatAwaitsDelaysOnlyItsOwnSession()
    {
        await using var app = await StartAsync();
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var gate = app.Services.GetRequiredService<Gate>();
        await using var slow = new WebSocketTestClient(app.Address);
        await using var other = new WebSocketTestClient(app.Address);
        await using var polling = new PollingTestClient(app.Address, jsonp: true);
        var slowId = await slow.ConnectAsync();
        var otherId = await other.ConnectAsync();
        var pollingId = await polling.ConnectAsync();

        await slow.SendAsync("block", "queued-behind");
        await recorder.WaitForAsync(slowId, e => e.Contains("block-start"));

        // Every other session is served while the slow handler waits: messages, subscriptions, both transports.
        await other.SendAsync("one");
        Assert.Equal("echo:one", await other.ReceiveTextAsync());
        await polling.SubscribeAsync("room");
        await polling.SendAsync("two");
        Assert.Equal("echo:two", await polling.ReceiveTextAsync());
        Assert.Equal(["subscribe:room", "message:two"], recorder.For(pollingId));

        // Pushes to the slow session still go out (its queue and transport do not wait for its handler)...
        app.Broadcaster.Send(slowId, "pushed");
        Assert.Equal("pushed", await slow.ReceiveTextAsync());

        // ...but its own next message waits for the handler before it: one event at a time, in order.
        Assert.Equal(["block-start"], recorder.For(slowId));
        gate.Open.SetResult();
        Assert.Equal("echo:block", await slow.ReceiveTextAsync());
        Assert.Equal("echo:queued-behind", await slow.ReceiveTextAsync());
        Assert.Equal(["block-start", "block-end", "message:block", "message:queued-behind"], recorder.For(slowId));
        Assert.Equal(["message:one"], recorder.For(otherId));
    }

    [Fact]
    public async Task AsyncHandlersOfOneSessionRunOneAtATimeInOrder()
    {
        await using var app = await StartAsync();
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();
        var messages = Enumerable.Range(0, 30).Select(i => (object?)("slow:" + i)).ToArray();

        await client.SendAsync(messages[..10]);
        foreach (var message in messages[10..])
        {
            await client.SendAsync(message); // one payload each, sent without waiting for the answers
        }

        for (var i = 0; i < messages.Length; i++)
        {
            Assert.Equal("echo:slow:" + i, await client.ReceiveTextAsync());
        }

        Assert.Equal(messages.Select(m => "message:" + m), recorder.For(id));
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("xhr-polling")]
    public async Task TheHandlerCancellationTokenFiresWhenTheSessionEnds(string transport)
    {
        await using var app = await StartAsync(o => o.PollingCloseTimeout = TimeSpan.FromSeconds(1));
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        SocketIoTestClient client = transport == "websocket"
            ? new WebSocketTestClient(app.Address)
            : new PollingTestClient(app.Address, jsonp: false) { AutoPoll = false };
        var id = await client.ConnectAsync();
        await client.SendAsync("hang");
        await recorder.WaitForAsync(id, e => e.Contains("hang-start"));

        if (client is WebSocketTestClient webSocket)
        {
            await webSocket.CloseAsync(); // goodbye
        }

        // A polling client that never polls again vanishes: its close timeout ends the session.
        var events = await recorder.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish:", StringComparison.Ordinal)));

        // The hanging handler saw its token fire and the session went on to its teardown; the teardown handlers'
        // token is not the (already fired) session token but the host's "stop waiting" one.
        Assert.Equal(["hang-start", "hang-cancelled", "disconnect:token-cancelled=False", "finish:token-cancelled=False"], events);
        Assert.Empty(app.Logs.Where(e => e.Level >= LogLevel.Error));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task AsyncVoidHandlersFailTheStartup()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(h => h.AddEventHandler<AsyncVoidHandler>()));
        Assert.Contains("AsyncVoidHandler.Message is async void", error.Message, StringComparison.Ordinal);
    }
}
