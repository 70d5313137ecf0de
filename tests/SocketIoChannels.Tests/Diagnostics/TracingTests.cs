using System.Collections.Concurrent;
using System.Diagnostics;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Diagnostics;

/// <summary>The SocketIoChannels activity source, read with an ActivityListener against a real Kestrel app.</summary>
public sealed class TracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ConcurrentQueue<Activity> requests = new();
    private readonly ActivityListener listener;

    public TracingTests()
    {
        listener = new ActivityListener
        {
            // ASP.NET Core's request activities too, to show that events do not hang under the request that opened
            // the session.
            ShouldListenTo = source => source.Name is "SocketIoChannels" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (activity.Source.Name == "Microsoft.AspNetCore")
                {
                    requests.Enqueue(activity);
                }
            },
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();

    /// <summary>The event activities of one session (other tests run in parallel in this process).</summary>
    private List<Activity> EventsOf(string sessionId) =>
        stopped.Where(a => a.Source.Name == "SocketIoChannels" && (string?)a.GetTagItem("socketio.session.id") == sessionId).ToList();

    private async Task<List<Activity>> WaitForEventsAsync(string sessionId, Func<List<Activity>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (true)
        {
            var activities = EventsOf(sessionId);
            if (condition(activities))
            {
                return activities;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Activities were: " + string.Join(", ", activities.Select(a => a.DisplayName)));
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task EachDispatchedEventIsAnActivityTaggedWithItsKindChannelAndSession()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        var client = new WebSocketTestClient(app.Address);
        await using var _ = client;
        var id = await client.ConnectAsync();

        await client.SubscribeAsync("room-1");
        await client.SendAsync("hello");
        Assert.Equal("hello", await client.ReceiveTextAsync());
        await client.CloseAsync();

        var activities = await WaitForEventsAsync(id, a => a.Any(x => x.DisplayName == "socketio finish"));
        Assert.Equal(
            ["connect", "subscribe", "message", "disconnect", "unsubscribe", "finish"],
            activities.Select(a => (string?)a.GetTagItem("socketio.event")));
        Assert.All(activities, a =>
        {
            Assert.Equal("SocketIoChannels.Event", a.OperationName);
            Assert.Equal(ActivityKind.Server, a.Kind);
            Assert.Equal(ActivityStatusCode.Unset, a.Status);
            Assert.Equal("websocket", a.GetTagItem("socketio.transport"));
            // Each event is a trace of its own, not a child of the (long) WebSocket request that started the session.
            Assert.Null(a.Parent);
            Assert.Equal(default, a.ParentSpanId);
        });
        Assert.Equal("socketio message", activities[2].DisplayName);
        Assert.Null(activities[0].GetTagItem("socketio.channel"));
        Assert.Equal("room-1", activities[1].GetTagItem("socketio.channel"));
        Assert.Equal("room-1", activities[2].GetTagItem("socketio.channel"));
        Assert.Equal("room-1", activities[4].GetTagItem("socketio.channel"));
        // The requests (the WebSocket upgrade among them) had activities of their own, and no event joined their traces.
        Assert.NotEmpty(requests);
        Assert.DoesNotContain(activities, a => requests.Any(r => r.TraceId == a.TraceId));
    }

    [Fact]
    public async Task AHandlerThatThrowsMarksTheEventActivityAsAnErrorAndOnErrorRunsInsideIt()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        var client = new PollingTestClient(app.Address, jsonp: false);
        await using var _ = client;
        var id = await client.ConnectAsync();

        await client.SendAsync(new JObject { ["action"] = "throw" });
        Assert.Equal("handler failed on purpose", (string?)(await client.ReceiveJsonAsync())["error"]);

        var activities = await WaitForEventsAsync(id, a => a.Any(x => x.DisplayName == "socketio message"));
        var message = activities.Single(a => a.DisplayName == "socketio message");
        Assert.Equal(ActivityStatusCode.Error, message.Status);
        Assert.Equal("handler failed on purpose", message.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, message.GetTagItem("error.type"));
        Assert.Contains(message.Events, e => e.Name == "exception");
        var error = activities.Single(a => a.DisplayName == "socketio error");
        Assert.Equal(message.SpanId, error.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, error.Status);
        Assert.Equal(ActivityStatusCode.Unset, activities.Single(a => a.DisplayName == "socketio connect").Status);
    }
}
