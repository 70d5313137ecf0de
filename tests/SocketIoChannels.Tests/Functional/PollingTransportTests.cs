using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>Cases every polling transport (xhr-polling, jsonp-polling) must pass besides the shared behaviour suite.</summary>
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
        await Eventually.TrueAsync(() => Task.FromResult(App.Services.GetRequiredService<SessionStore>().Find(id)?.HasConnection == true), "the first poll held by the server");

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
