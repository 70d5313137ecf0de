using System.Net;
using System.Text;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>
/// POSTs of the polling transports follow the 0.6 decoder (docs/protocol-0.6.md §1.5): a frame whose framing is broken keeps the
/// messages before it, drops the rest with a Debug log, and the POST is answered <c>ok</c> (the jsonp client posts
/// through a hidden form and never sees a status; on xhr-polling a 400 makes the 0.6 client drop its session).
/// A jsonp POST comes from a textarea that turned each <c>\n</c> into <c>\r\n</c>: that is undone per message.
/// </summary>
public sealed class PollingPostTests
{
    [Fact]
    public async Task AJsonpPostMixingRewrittenAndOriginalLineBreaksDeliversEveryMessage()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new PollingTestClient(app.Address, jsonp: true);
        await client.ConnectAsync();

        // send("a\nb") arrives as a\r\nb (framed with 3); send("c\r\nd") arrives as it was (framed with 4).
        using var response = await PostRawAsync(client, $"/socket.io/jsonp-polling/{client.SessionId}/1/0", "~m~3~m~a\r\nb~m~4~m~c\r\nd");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("a\nb", await client.ReceiveTextAsync());
        Assert.Equal("c\r\nd", await client.ReceiveTextAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APostWithABrokenFrameKeepsTheMessagesBeforeItAndIsAnsweredOk(bool jsonp)
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new PollingTestClient(app.Address, jsonp);
        await client.ConnectAsync();
        var path = jsonp ? $"/socket.io/jsonp-polling/{client.SessionId}/1/0" : $"/socket.io/xhr-polling/{client.SessionId}/send";

        using var response = await PostRawAsync(client, path, "~m~5~m~hello~m~x~m~bad~m~5~m~later");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("hello", await client.ReceiveTextAsync());
        await client.SendAsync("after");
        Assert.Equal("after", await client.ReceiveTextAsync()); // "later" was dropped
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 112 && e.Message.Contains("frame length is not a number", StringComparison.Ordinal)
            && e.Message.Contains("the 1 frames before it were used", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APostAndAPreflightAreAnsweredOkWithContentLengthNotChunked(bool jsonp)
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new PollingTestClient(app.Address, jsonp);
        await client.ConnectAsync();
        var path = jsonp ? $"/socket.io/jsonp-polling/{client.SessionId}/1/0" : $"/socket.io/xhr-polling/{client.SessionId}/send";

        using var post = await PostRawAsync(client, path, "~m~5~m~hello");
        using var preflight = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, path)).DefaultTimeout();

        // Framed by Content-Length: each answer goes out in one write, with no closing chunk after it.
        foreach (var response in new[] { post, preflight })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync().DefaultTimeout());
            Assert.Equal(2, response.Content.Headers.ContentLength);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        }

        Assert.Equal("hello", await client.ReceiveTextAsync());
    }

    /// <summary>POSTs the form body a browser sends: <c>data=</c> and the payload form-encoded, exactly as given.</summary>
    private static Task<HttpResponseMessage> PostRawAsync(PollingTestClient client, string path, string payload) =>
        client.Http.PostAsync(path, new StringContent("data=" + WebUtility.UrlEncode(payload), Encoding.UTF8, "application/x-www-form-urlencoded")).DefaultTimeout();
}
