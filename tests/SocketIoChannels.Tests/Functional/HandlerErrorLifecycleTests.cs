using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>
/// What runs after a handler fails (issue 12, items 2 and 3): with <c>CloseSessionOnHandlerError</c> nothing after
/// the failure is handled and OnDisconnect does not fire (django-socketio's view ends its loop at the exception), and
/// the teardown (OnUnsubscribe per channel, OnFinish) runs whatever happened.
/// </summary>
public sealed class HandlerErrorLifecycleTests
{
    /// <summary>Lets a test hold a handler until it says so.</summary>
    public sealed class Gate
    {
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class LifecycleHandlers(EventRecorder recorder, Gate gate)
    {
        [OnConnect]
        public async Task Connect(ISocket socket, SocketIoRequest request)
        {
            recorder.Add(socket.SessionId, "connect");
            if (request.Query.ContainsKey("fail-connect"))
            {
                await gate.Open.Task.WaitAsync(TaskTimeouts.Default);
                throw new InvalidOperationException("connect failed");
            }
        }

        [OnSubscribe]
        public void Subscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "subscribe:" + channel);

        [OnMessage]
        public async Task Message(ISocket socket, string message)
        {
            recorder.Add(socket.SessionId, "message:" + message);
            if (message == "gated-throw")
            {
                await gate.Open.Task.WaitAsync(TaskTimeouts.Default);
                throw new InvalidOperationException("message failed");
            }

            socket.Send("echo:" + message);
        }

        [OnError]
        public void Error(ISocket socket, Exception exception) => recorder.Add(socket.SessionId, "error:" + exception.Message);

        [OnUnsubscribe]
        public void Unsubscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "unsubscribe:" + channel);

        [OnDisconnect]
        public void Disconnect(ISocket socket) => recorder.Add(socket.SessionId, "disconnect");

        [OnFinish]
        public void Finish(ISocket socket) => recorder.Add(socket.SessionId, "finish:" + string.Join(",", socket.Channels));
    }

    private static Task UntilQueuedAsync(TestApp app, string sessionId) =>
        Eventually.TrueAsync(() => Task.FromResult(app.Services.GetRequiredService<SessionStore>().Find(sessionId)?.Inbound.Count > 0), "a payload waiting in the session's queue");

    private static Task<TestApp> StartAsync(bool closeOnError) => TestApp.StartAsync(
        h => h.AddEventHandler<LifecycleHandlers>(),
        o => o.CloseSessionOnHandlerError = closeOnError,
        services: s => s.AddSingleton<Gate>());

    private static bool Finished(IReadOnlyList<string> events) => events.Any(e => e.StartsWith("finish:", StringComparison.Ordinal));

    [Fact]
    public async Task WithCloseSessionOnHandlerErrorNothingAfterTheFailingMessageIsHandledAndOnDisconnectDoesNotFire()
    {
        await using var app = await StartAsync(closeOnError: true);
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var gate = app.Services.GetRequiredService<Gate>();
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();
        await client.SubscribeAsync("room");
        await recorder.WaitForAsync(id, e => e.Contains("subscribe:room"));

        // The failing message, the rest of its payload, then a payload queued behind it while its handler runs.
        await client.SendAsync("gated-throw", "same-payload");
        await recorder.WaitForAsync(id, e => e.Contains("message:gated-throw"));
        await client.SendAsync("next-payload");
        await UntilQueuedAsync(app, id); // the next payload is in the session's queue
        gate.Open.SetResult();

        await client.Closed.DefaultTimeout();
        var events = await recorder.WaitForAsync(id, Finished);
        await Task.Delay(200); // nothing more comes
        Assert.Equal(["connect", "subscribe:room", "message:gated-throw", "error:message failed", "unsubscribe:room", "finish:room"], recorder.For(id));
    }

    [Fact]
    public async Task WithCloseSessionOnHandlerErrorAFailingOnConnectEndsTheSessionBeforeAnyMessage()
    {
        await using var app = await StartAsync(closeOnError: true);
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var gate = app.Services.GetRequiredService<Gate>();
        await using var client = new WebSocketTestClient(new Uri(app.Address, "?fail-connect=1"));
        var id = await client.ConnectAsync();
        await client.SendAsync("early");
        await UntilQueuedAsync(app, id); // the message is in the session's queue, behind OnConnect
        gate.Open.SetResult();

        await client.Closed.DefaultTimeout();
        await recorder.WaitForAsync(id, Finished);
        await Task.Delay(200);
        Assert.Equal(["connect", "error:connect failed", "finish:"], recorder.For(id));
    }

    [Fact]
    public async Task WithoutCloseSessionOnHandlerErrorTheSessionGoesOnAfterTheFailure()
    {
        await using var app = await StartAsync(closeOnError: false);
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var gate = app.Services.GetRequiredService<Gate>();
        gate.Open.SetResult();
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();

        await client.SendAsync("gated-throw", "after");
        Assert.Equal("echo:after", await client.ReceiveTextAsync());
        await client.CloseAsync();

        await recorder.WaitForAsync(id, Finished);
        Assert.Equal(["connect", "message:gated-throw", "error:message failed", "message:after", "disconnect", "finish:"], recorder.For(id));
    }

    public sealed class HostilePatternHandlers(EventRecorder recorder)
    {
        // Catastrophic backtracking on a long run of 'a' not followed by the end: the 1 s match timeout fires.
        [OnSubscribe(Channel = "(a+)+$")]
        public void SubscribeA(ISocket socket, string channel) => recorder.Add(socket.SessionId, "subscribe-a:" + channel);

        [OnSubscribe]
        public void Subscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "subscribe:" + channel);

        [OnMessage(Channel = "(a+)+$")]
        public void MessageA(ISocket socket, string message) => recorder.Add(socket.SessionId, "message-a:" + message);

        [OnMessage]
        public void Message(ISocket socket, string message)
        {
            recorder.Add(socket.SessionId, "message:" + message);
            if (message.StartsWith("server-subscribe:", StringComparison.Ordinal))
            {
                socket.Subscribe(message["server-subscribe:".Length..]);
            }

            socket.Send("echo:" + message);
        }

        [OnError]
        public void Error(ISocket socket, Exception exception) => recorder.Add(socket.SessionId, "error:" + exception.GetType().Name);

        [OnUnsubscribe]
        public void Unsubscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "unsubscribe:" + channel);

        [OnFinish]
        public void Finish(ISocket socket) => recorder.Add(socket.SessionId, "finish");
    }

    private static readonly string HostileName = new string('a', 40) + "!";

    [Fact]
    public async Task AChannelNameThatTimesOutAPatternIsRefusedAndTheSessionGoesOnToItsTeardown()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<HostilePatternHandlers>());
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();
        await client.SubscribeAsync("room");
        await client.SubscribeAsync(HostileName);
        await client.SendAsync("still here");
        Assert.Equal("echo:still here", await client.ReceiveTextAsync(TimeSpan.FromSeconds(30)));
        await client.CloseAsync();

        var events = await recorder.WaitForAsync(id, e => e.Contains("finish"), TimeSpan.FromSeconds(30));
        Assert.Equal(["subscribe:room", "message:still here", "unsubscribe:room", "finish"], events);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 305 && e.Message.Contains(id, StringComparison.Ordinal));
        Assert.Empty(app.Logs.Where(e => e.Level >= LogLevel.Error));
    }

    [Fact]
    public async Task AChannelTheServerSubscribedThatTimesOutAPatternFailsTheEventButNotTheTeardown()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<HostilePatternHandlers>());
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();
        await client.SendAsync("server-subscribe:" + HostileName);
        Assert.Equal("echo:server-subscribe:" + HostileName, await client.ReceiveTextAsync(TimeSpan.FromSeconds(30)));

        // The next message: the channel-bound OnMessage handler's pattern times out on the session's channel.
        await client.SendAsync("after");
        await recorder.WaitForAsync(id, e => e.Contains("error:RegexMatchTimeoutException"), TimeSpan.FromSeconds(30));
        await client.CloseAsync();

        var events = await recorder.WaitForAsync(id, e => e.Contains("finish"), TimeSpan.FromSeconds(30));
        Assert.Equal(["message:server-subscribe:" + HostileName, "error:RegexMatchTimeoutException", "unsubscribe:" + HostileName, "finish"], events);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.EventId.Id == 300 && e.Exception is System.Text.RegularExpressions.RegexMatchTimeoutException);
        Assert.Equal(0, app.Services.GetRequiredService<SocketIoChannels.Channels.ChannelRegistry<SocketIoChannels.Sessions.Session>>().ChannelCount);
    }

    public sealed class ThrowsOnDispose : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => throw new InvalidOperationException("dispose failed");
    }

    public sealed class DisposeHandlers(EventRecorder recorder)
    {
        [OnSubscribe]
        public void Subscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "subscribe:" + channel);

        [OnMessage]
        public void Message(ISocket socket, string message, ThrowsOnDispose service)
        {
            recorder.Add(socket.SessionId, "message:" + message);
            socket.Send("echo:" + message);
        }

        [OnError]
        public void Error(ISocket socket, Exception exception) => recorder.Add(socket.SessionId, "error:" + exception.Message);

        [OnUnsubscribe]
        public void Unsubscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "unsubscribe:" + channel);

        [OnFinish]
        public void Finish(ISocket socket) => recorder.Add(socket.SessionId, "finish");
    }

    [Fact]
    public async Task AScopedServiceThatThrowsOnDisposeFailsItsEventButTheSessionGoesOnToItsTeardown()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<DisposeHandlers>(), services: s => s.AddScoped<ThrowsOnDispose>());
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();
        await client.SubscribeAsync("room");
        await client.SendAsync("one", "two");
        Assert.Equal("echo:one", await client.ReceiveTextAsync());
        Assert.Equal("echo:two", await client.ReceiveTextAsync());
        await client.CloseAsync();

        var events = await recorder.WaitForAsync(id, e => e.Contains("finish"));
        Assert.Equal(["subscribe:room", "message:one", "error:dispose failed", "message:two", "error:dispose failed", "unsubscribe:room", "finish"], events);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.EventId.Id == 304 && e.Message.Contains(id, StringComparison.Ordinal));
    }
}
