using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

public sealed class WebSocketTransportTests : TransportBehaviourTests
{
    protected override SocketIoTestClient CreateClient(Uri server) => new WebSocketTestClient(server);

    protected override void Configure(SocketIoOptions options)
    {
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(300);
        options.HeartbeatTimeout = TimeSpan.FromSeconds(2); // a loaded machine may echo late; only the missed-heartbeat test waits for it
        options.MaxMessageSize = 4096;
    }

    [Fact]
    public async Task HeartbeatsAreSentAndAnsweredHeartbeatsKeepTheSessionAlive()
    {
        var client = await ConnectAsync();

        await Task.Delay(1500);

        Assert.True(client.HeartbeatsReceived >= 3, $"only {client.HeartbeatsReceived} heartbeats");
        Assert.False(client.Closed.IsCompleted);
        await client.SendAsync("alive");
        Assert.Equal("alive", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AMissedHeartbeatEndsTheSessionAndClosesTheConnection()
    {
        var client = CreateClient(App.Address);
        client.EchoHeartbeats = false;
        await using var _ = client;
        var id = await client.ConnectAsync();

        await client.Closed.DefaultTimeout();

        var events = await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        Assert.Contains("disconnect", events);
        Assert.True(client.HeartbeatsReceived >= 1);
    }

    [Fact]
    public async Task AMessageOverTheLimitClosesWith1009AndOthersKeepWorking()
    {
        var client = (WebSocketTestClient)await ConnectAsync();
        var bystander = await ConnectAsync();

        await client.SendAsync(new string('x', 5000));

        await client.Closed.DefaultTimeout();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
        await bystander.SendAsync("fine");
        Assert.Equal("fine", await bystander.ReceiveTextAsync());
    }

    [Fact]
    public async Task InvalidUtf8ClosesWith1007()
    {
        var client = (WebSocketTestClient)await ConnectAsync();

        await client.SendRawAsync([0x7E, 0x6D, 0x7E, 0x31, 0x7E, 0x6D, 0x7E, 0xC3, 0x28]);

        await client.Closed.DefaultTimeout();
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
    }

    [Fact]
    public async Task FlashsocketIsTheSameTransportUnderAnotherName()
    {
        await using var client = new WebSocketTestClient(App.Address, "flashsocket");
        await client.ConnectAsync();

        await client.SendAsync("via flash name");

        Assert.Equal("via flash name", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task ClientClosingEndsTheSessionAtOnce()
    {
        var client = (WebSocketTestClient)await ConnectAsync();
        var id = client.SessionId;

        await client.CloseAsync();

        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        Assert.Equal(0, App.Broadcaster.SessionCount);
    }
}

public sealed class XhrPollingTransportTests : PollingTransportTests
{
    protected override bool Jsonp => false;
}

public sealed class JsonpPollingTransportTests : PollingTransportTests
{
    protected override bool Jsonp => true;

    [Fact]
    public async Task APollWithoutACallbackIndexIsA400()
    {
        using var http = new HttpClient { BaseAddress = App.Address };

        var response = await http.GetAsync("/socket.io/jsonp-polling//123/abc").DefaultTimeout();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("callback index", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ScriptAnswersEscapeMarkupAndLineSeparators()
    {
        await using var client = new PollingTestClient(App.Address, jsonp: true) { AutoPoll = false };
        var id = await client.ConnectAsync();
        var text = "</script><b>&\u2028\u2029";
        App.Broadcaster.Send(id, text);

        var body = await client.Http.GetStringAsync(client.PollPath(id)).DefaultTimeout();

        Assert.Equal("io.JSONP[0]._(\"~m~15~m~\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\\u2029\");", body);
        Assert.Equal("~m~15~m~" + text, PollingTestClient.UnwrapJsonp(body));
    }
}

public abstract class PollingTransportTests : TransportBehaviourTests
{
    protected abstract bool Jsonp { get; }

    protected override SocketIoTestClient CreateClient(Uri server) => new PollingTestClient(server, Jsonp);

    protected override void Configure(SocketIoOptions options)
    {
        options.PollDuration = TimeSpan.FromMilliseconds(800);
        options.PollingCloseTimeout = TimeSpan.FromSeconds(2);
        options.MaxMessageSize = 4096;
    }

    [Fact]
    public async Task AHeldPollIsAnsweredEmptyAfterThePollDuration()
    {
        await using var client = new PollingTestClient(App.Address, Jsonp) { AutoPoll = false };
        var id = await client.ConnectAsync();
        var started = DateTime.UtcNow;

        var payload = await client.GetPayloadAsync(id).DefaultTimeout();

        Assert.Equal(string.Empty, payload);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AGetFindingQueuedFramesGetsAllOfThemInOneBody()
    {
        await using var client = new PollingTestClient(App.Address, Jsonp) { AutoPoll = false };
        var id = await client.ConnectAsync();
        App.Broadcaster.Send(id, "a");
        App.Broadcaster.Send(id, "c");
        App.Broadcaster.Send(id, new JObject());

        var payload = await client.GetPayloadAsync(id).DefaultTimeout();

        Assert.Equal("~m~1~m~a~m~1~m~c~m~5~m~~j~{}", payload);
    }

    [Fact]
    public async Task ANewPollSupersedesAHeldOneWhichCompletesEmpty()
    {
        await using var client = new PollingTestClient(App.Address, Jsonp) { AutoPoll = false };
        var id = await client.ConnectAsync();
        var first = client.GetPayloadAsync(id);
        await Task.Delay(150);

        var second = client.GetPayloadAsync(id);
        Assert.Equal(string.Empty, await first.DefaultTimeout());
        App.Broadcaster.Send(id, "to the new poll");

        Assert.Equal("~m~15~m~to the new poll", await second.DefaultTimeout());
    }

    [Fact]
    public async Task ASessionThatStopsPollingEndsAfterTheCloseTimeout()
    {
        await using var client = new PollingTestClient(App.Address, Jsonp) { AutoPoll = false };
        var id = await client.ConnectAsync();

        var events = await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));

        Assert.Contains("disconnect", events);
        Assert.Null(await client.GetPayloadAsync(id).ContinueWith(t => t.IsFaulted ? null : t.Result).DefaultTimeout());
    }

    [Fact]
    public async Task ABodyOverTheLimitIsA413AndTheSessionSurvives()
    {
        var client = (PollingTestClient)await ConnectAsync();

        var response = await client.PostAsync(new string('x', 5000));

        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await client.SendAsync("after 413");
        Assert.Equal("after 413", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task APostToAnUnknownSessionIsClosedWithoutAResponse()
    {
        await using var client = new PollingTestClient(App.Address, Jsonp) { AutoPoll = false };

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.PostAsync("~m~1~m~x", "ffffffffffffffffffffffffffffffff"));
    }

    [Fact]
    public async Task APostWithAnyContentTypeIsParsedAsAForm()
    {
        var client = (PollingTestClient)await ConnectAsync();
        var path = Jsonp ? $"/socket.io/jsonp-polling/{client.SessionId}/1/0" : $"/socket.io/xhr-polling/{client.SessionId}/send";

        var response = await client.Http.PostAsync(path, new StringContent("data=" + Uri.EscapeDataString("~m~6~m~plain!"))).DefaultTimeout();

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("plain!", await client.ReceiveTextAsync());
    }
}
