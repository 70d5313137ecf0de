using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>The shared transport behaviour and the polling cases over jsonp-polling, plus what only jsonp does.</summary>
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
