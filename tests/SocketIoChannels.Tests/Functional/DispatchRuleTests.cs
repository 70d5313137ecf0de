using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

public sealed class DispatchRuleTests
{
    public sealed class ChannelHandlers(EventRecorder recorder)
    {
        [OnSubscribe]
        public void AnySubscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "any-subscribe:" + channel);

        [OnSubscribe(channel: "^room-")]
        public void RoomSubscribe(ISocket socket, string channel) => recorder.Add(socket.SessionId, "room-subscribe:" + channel);

        [OnMessage]
        public void AnyMessage(ISocket socket, string message) => recorder.Add(socket.SessionId, "any:" + message);

        [OnMessage("dashboard")]
        public void DashboardMessage(ISocket socket, string message) => recorder.Add(socket.SessionId, "dashboard:" + message);

        [OnMessage(Channel = "^room-")]
        public void RoomMessage(ISocket socket, string message)
        {
            recorder.Add(socket.SessionId, "room:" + message);
            socket.Send("done:" + message);
        }

        [OnFinish]
        public void Finish(ISocket socket, CancellationToken token) => recorder.Add(socket.SessionId, "finish:" + token.IsCancellationRequested);
    }

    [Fact]
    public async Task UnboundHandlersFireForSubscribedSessionsAndBoundOnesOnlyForMatchingChannels()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<ChannelHandlers>());
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();
        var recorder = app.Services.GetRequiredService<EventRecorder>();

        await client.SendAsync("before");
        await client.SubscribeAsync("dashboards");
        await client.SendAsync("in-dashboards");
        await client.SubscribeAsync("room-1");
        await client.SendAsync("in-both");
        await recorder.WaitForAsync(id, e => e.Contains("room:in-both"));
        Assert.Equal("done:in-both", await client.ReceiveTextAsync());

        Assert.Equal(
            ["any:before", "any-subscribe:dashboards", "any:in-dashboards", "dashboard:in-dashboards", "any-subscribe:room-1", "room-subscribe:room-1", "any:in-both", "dashboard:in-both", "room:in-both"],
            recorder.For(id));
    }

    [Fact]
    public async Task StoppingTheHostRunsTheTeardownOfEveryLiveSession()
    {
        var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var clients = new List<SocketIoTestClient> { new WebSocketTestClient(app.Address), new PollingTestClient(app.Address, jsonp: false) };
        var ids = new List<string>();
        foreach (var client in clients)
        {
            var id = await client.ConnectAsync();
            ids.Add(id);
            await client.SubscribeAsync("room-" + ids.Count);
            await recorder.WaitForAsync(id, e => e.Contains("subscribe:room-" + ids.Count));
        }

        await app.DisposeAsync();

        // client_end_all: no OnDisconnect, the clients did not disconnect.
        Assert.Equal(["connect", "subscribe:room-1", "unsubscribe:room-1", "finish:room-1:True"], recorder.For(ids[0]));
        Assert.Equal(["connect", "subscribe:room-2", "unsubscribe:room-2", "finish:room-2:True"], recorder.For(ids[1]));
        await clients[0].Closed.DefaultTimeout();
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheMessageLogWritesTheOriginalsLineAfterEachItem()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.MessageLogFormat = SocketIoOptions.DefaultMessageLogFormat + " {HTTP_USER_AGENT}{NOPE}|{QUERY_STRING}");
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();

        await client.SubscribeAsync("room-1");
        await client.SendAsync(new JObject { ["a"] = 1 });
        await client.ReceiveJsonAsync();

        // The handler's echo can reach the client before the server writes the log line that follows the handler.
        await Eventually.TrueAsync(() => Task.FromResult(app.Logs.Where(e => e.Category == "SocketIoChannels.MessageLog").Count() >= 2), "two message log lines");
        var lines = app.Logs.Where(e => e.Category == "SocketIoChannels.MessageLog").Select(e => e.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Matches(@"^127\.0\.0\.1 - - \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] ""Socket\.IO subscribe: room-1"" \|$", lines[0]);
        Assert.EndsWith("\"Socket.IO message: {\"a\":1}\" |", lines[1]);
        Assert.All(app.Logs.Where(e => e.Category == "SocketIoChannels.MessageLog"), e => Assert.Equal(LogLevel.Information, e.Level));
    }

    [Fact]
    public async Task AHandlerWaitingLongDelaysOnlyItsOwnSessionAndItsTokenFiresWhenTheSessionEnds()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var busy = new WebSocketTestClient(app.Address);
        await using var other = new WebSocketTestClient(app.Address);
        var busyId = await busy.ConnectAsync();
        await other.ConnectAsync();
        var recorder = app.Services.GetRequiredService<EventRecorder>();

        await busy.SendAsync(new JObject { ["action"] = "wait" });
        await other.SendAsync("not blocked");
        Assert.Equal("not blocked", await other.ReceiveTextAsync());

        await busy.CloseAsync();
        var events = await recorder.WaitForAsync(busyId, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        Assert.Contains("disconnect", events);
    }

    [Fact]
    public async Task CloseSessionOnHandlerErrorEndsTheSessionAfterOnError()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.CloseSessionOnHandlerError = true);
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();

        await client.SendAsync(new JObject { ["action"] = "throw" });

        Assert.Equal("handler failed on purpose", (string?)(await client.ReceiveJsonAsync())["error"]);
        await client.Closed.DefaultTimeout();
        var events = await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        Assert.Contains("error:handler failed on purpose", events);
    }

    [Fact]
    public async Task AHandlerThatCannotBeBoundFailsTheAppAtStartup()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(h => h.AddEventHandler<Unit.HandlerValidationTests.UnknownParameter>()));

        Assert.Contains("UnknownParameter.Subscribe", error.Message);
    }

    [Fact]
    public async Task InvalidOptionsFailTheAppAtStartupNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.MaxQueuedFrames = 0));

        Assert.Contains("SocketIo:MaxQueuedFrames", error.Message);
    }
}

public sealed class TypedMessageTests
{
    public sealed record Move(int X, int Y);

    public sealed class TypedHandlers
    {
        [OnMessage]
        public void OnMove(ISocket socket, Move message) => socket.Send(new { sum = message.X + message.Y });

        [OnError]
        public void OnBindingError(ISocket socket, MessageBindingException exception) => socket.Send("cannot bind");
    }

    [Fact]
    public async Task MessagesBindToTypedParametersAndAMismatchIsAClientErrorLoggedAtDebug()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TypedHandlers>());
        await using var client = new WebSocketTestClient(app.Address);
        await client.ConnectAsync();

        await client.SendAsync(new JObject { ["x"] = 2, ["y"] = 3 });
        Assert.Equal(5, (int)(await client.ReceiveJsonAsync())["sum"]!);

        await client.SendAsync(new JObject { ["x"] = "not a number" });
        Assert.Equal("cannot bind", await client.ReceiveTextAsync());
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 302 && e.Level == LogLevel.Debug);
    }
}
