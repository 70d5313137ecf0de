using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>The behaviour every transport must show, run once per transport on real Kestrel.</summary>
public abstract class TransportBehaviourTests : IAsyncLifetime
{
    private readonly List<SocketIoTestClient> clients = [];

    protected TestApp App { get; private set; } = null!;

    protected abstract SocketIoTestClient CreateClient(Uri server);

    protected virtual void Configure(SocketIoOptions options)
    {
    }

    public virtual async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(
            handlers => handlers.AddEventHandler<TestHandlers>(),
            Configure,
            app =>
            {
                app.MapPost("/notify/{channel}", (string channel, ISocketIoBroadcaster broadcaster) =>
                {
                    try
                    {
                        return Results.Text(broadcaster.BroadcastChannel(new { notice = "from the app", channel }, channel).ToString());
                    }
                    catch (NoSocketException exception)
                    {
                        return Results.Text(exception.Message, statusCode: StatusCodes.Status404NotFound);
                    }
                });
            });
    }

    public async Task DisposeAsync()
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await App.DisposeAsync();
    }

    protected async Task<SocketIoTestClient> ConnectAsync()
    {
        var client = CreateClient(App.Address);
        clients.Add(client);
        await client.ConnectAsync();
        return client;
    }

    protected EventRecorder Events => App.Services.GetRequiredService<EventRecorder>();

    [Fact]
    public async Task ConnectSendsA128BitSessionIdFirst()
    {
        var first = await ConnectAsync();
        var second = await ConnectAsync();

        Assert.Matches("^[0-9a-f]{32}$", first.SessionId);
        Assert.NotEqual(first.SessionId, second.SessionId);
        await Events.WaitForAsync(first.SessionId, e => e.Contains("connect"));
    }

    [Fact]
    public async Task EchoesTextJsonAndNonAsciiText()
    {
        var client = await ConnectAsync();

        await client.SendAsync("hello");
        Assert.Equal("hello", await client.ReceiveTextAsync());

        await client.SendAsync("héllo 😀 世界");
        Assert.Equal("héllo 😀 世界", await client.ReceiveTextAsync());

        await client.SendAsync(new JObject { ["from"] = "client", ["n"] = 5 });
        var json = await client.ReceiveJsonAsync();
        Assert.Equal("client", (string?)json["from"]);
        Assert.Equal(5, (int)json["n"]!);
    }

    [Fact]
    public async Task SeveralFramesInOnePayloadAreHandledInOrder()
    {
        var client = await ConnectAsync();

        await client.SendAsync("one", "two + three", "a\nb");

        Assert.Equal("one", await client.ReceiveTextAsync());
        Assert.Equal("two + three", await client.ReceiveTextAsync());
        Assert.Equal("a\nb", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task JsonValuesKeepTheirType()
    {
        var client = await ConnectAsync();

        foreach (var (value, type) in new (JToken Value, string Type)[] { (5, "Integer"), (true, "Boolean"), (new JArray(1, "a"), "Array"), (JValue.CreateNull(), "Null"), (2.5, "Float") })
        {
            await client.SendAsync(new JObject { ["action"] = "typeof", ["payload"] = value });
            Assert.Equal(type, await client.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task BroadcastChannelReachesOnlyThatChannelAndNotTheSender()
    {
        var sender = await ConnectAsync();
        var peer = await ConnectAsync();
        var stranger = await ConnectAsync();
        await sender.SubscribeAsync("room-1");
        await peer.SubscribeAsync("room-1");
        await stranger.SubscribeAsync("room-2");
        await Events.WaitForAsync(stranger.SessionId, e => e.Contains("subscribe:room-2"));
        await Events.WaitForAsync(peer.SessionId, e => e.Contains("subscribe:room-1"));

        await sender.SendAsync(new JObject { ["action"] = "broadcastChannel", ["payload"] = "hi room" });

        Assert.Equal("hi room", await peer.ReceiveTextAsync());
        await sender.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
        await stranger.AssertNothingReceivedAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task BroadcastChannelWithoutChannelReachesEachPeerOnceAcrossSharedChannels()
    {
        var sender = await ConnectAsync();
        var peer = await ConnectAsync();
        foreach (var channel in new[] { "a", "b" })
        {
            await sender.SubscribeAsync(channel);
            await peer.SubscribeAsync(channel);
        }

        await Events.WaitForAsync(peer.SessionId, e => e.Contains("subscribe:b"));
        await Events.WaitForAsync(sender.SessionId, e => e.Contains("subscribe:b"));

        await sender.SendAsync(new JObject { ["action"] = "broadcastChannel", ["payload"] = "once" });

        Assert.Equal("once", await peer.ReceiveTextAsync());
        await peer.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task SendAndBroadcastChannelReachesTheSenderEvenWhenNotSubscribed()
    {
        var sender = await ConnectAsync();
        var peer = await ConnectAsync();
        await peer.SubscribeAsync("news");
        await Events.WaitForAsync(peer.SessionId, e => e.Contains("subscribe:news"));

        await sender.SendAsync(new JObject { ["action"] = "sendAndBroadcastChannel", ["channel"] = "news", ["payload"] = new JObject { ["n"] = 1 } });

        Assert.Equal(1, (int)(await sender.ReceiveJsonAsync())["n"]!);
        Assert.Equal(1, (int)(await peer.ReceiveJsonAsync())["n"]!);
    }

    [Fact]
    public async Task BroadcastReachesEveryOtherSession()
    {
        var sender = await ConnectAsync();
        var other = await ConnectAsync();

        await sender.SendAsync(new JObject { ["action"] = "broadcast", ["payload"] = "all" });

        Assert.Equal("all", await other.ReceiveTextAsync());
        await sender.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task BroadcasterFromAMinimalApiEndpointReachesSubscribers()
    {
        var client = await ConnectAsync();
        await client.SubscribeAsync("room-42");
        await Events.WaitForAsync(client.SessionId, e => e.Contains("subscribe:room-42"));
        using var http = new HttpClient { BaseAddress = App.Address };

        var response = await http.PostAsync("/notify/room-42", null).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", await response.Content.ReadAsStringAsync());
        var json = await client.ReceiveJsonAsync();
        Assert.Equal("from the app", (string?)json["notice"]);
    }

    [Fact]
    public async Task BroadcasterThrowsNoSocketWhenNobodyIsInTheChannel()
    {
        var client = await ConnectAsync();
        await client.SubscribeAsync("room-1");
        await client.UnsubscribeAsync("room-1");
        await Events.WaitForAsync(client.SessionId, e => e.Contains("unsubscribe:room-1"));
        using var http = new HttpClient { BaseAddress = App.Address };

        var response = await http.PostAsync("/notify/room-1", null).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("There are no clients on the channel: room-1", await response.Content.ReadAsStringAsync());
        Assert.Throws<NoSocketException>(() => App.Broadcaster.Send("0123456789abcdef0123456789abcdef", "x"));
    }

    [Fact]
    public async Task HandlerExceptionFiresOnErrorAndTheSessionKeepsAnswering()
    {
        var client = await ConnectAsync();

        await client.SendAsync(new JObject { ["action"] = "throw" });

        Assert.Equal("handler failed on purpose", (string?)(await client.ReceiveJsonAsync())["error"]);
        await client.SendAsync("still there?");
        Assert.Equal("still there?", await client.ReceiveTextAsync());
        Assert.Contains(App.Logs.Entries, entry => entry.Exception?.Message == "handler failed on purpose" && entry.Level == Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task EventsRunInTheOriginalsOrderAndTeardownSeesTheChannels()
    {
        var client = await ConnectAsync();
        var id = client.SessionId;
        await client.SubscribeAsync("room-1");
        await client.SendAsync("hi");
        await client.ReceiveTextAsync();

        await client.SendAsync(new JObject { ["action"] = "disconnect" });

        var events = await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        Assert.Equal(["connect", "subscribe:room-1", "message:\"hi\"", "message:{\"action\":\"disconnect\"}", "disconnect", "unsubscribe:room-1", "finish:room-1:True"], events);
        await client.Closed.DefaultTimeout();
        Assert.Equal(0, App.Broadcaster.CountSubscribers("room-1"));
    }

    [Fact]
    public async Task AnUnknownSessionIdGetsTheConnectionClosedWithoutAResponse()
    {
        await using var client = CreateClient(App.Address);

        var connect = await Record.ExceptionAsync(() => client.ConnectAsync("00000000000000000000000000000000"));

        // WebSocket: the upgrade fails; raw HTTP clients: the connection closes with no answer; polling: the first
        // poll's connection is closed with no HTTP answer.
        if (connect is null)
        {
            await client.Closed.DefaultTimeout();
            Assert.StartsWith("poll failed", client.CloseReason);
        }
        else
        {
            Assert.True(connect is System.Net.WebSockets.WebSocketException or IOException, "unexpected " + connect);
        }
    }
}
