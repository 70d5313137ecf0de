using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>
/// Who may connect: the Origin (or, without one, the Referer) must be the app's own origin or listed in
/// <see cref="SocketIoOptions.AllowedOrigins"/>, on every transport; refusals create no session (cross-site
/// WebSocket hijacking and its polling equivalents).
/// </summary>
public sealed class OriginCheckTests : IAsyncLifetime
{
    private const string Evil = "http://evil.example";
    private const string Partner = "https://partner.example";
    private TestApp app = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.AllowedOrigins.Add(Partner));
        http = new HttpClient { BaseAddress = app.Address };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }

    private string Own => app.Address.GetLeftPart(UriPartial.Authority);

    private int Sessions => app.Services.GetRequiredService<SessionStore>().Count;

    private async Task<(WebSocketTestClient Client, Exception? Error)> WebSocketFromAsync(string transport, string? origin)
    {
        var client = new WebSocketTestClient(app.Address, transport);
        client.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            client.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await client.ConnectAsync().DefaultTimeout();
            return (client, null);
        }
        catch (Exception exception)
        {
            return (client, exception);
        }
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("flashsocket")]
    public async Task AWebSocketFromAnotherSiteIsRefusedWith403(string transport)
    {
        var before = Sessions;
        var (client, error) = await WebSocketFromAsync(transport, Evil);
        await using var _ = client;

        Assert.IsType<WebSocketException>(error);
        Assert.Equal(HttpStatusCode.Forbidden, client.HttpStatusCode);
        Assert.Equal(before, Sessions);
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 20 && e.Message.Contains(Evil, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("websocket", "own")]
    [InlineData("flashsocket", "own")]
    [InlineData("websocket", Partner)]
    [InlineData("websocket", null)]
    public async Task AWebSocketFromTheAppsOwnOriginAListedOneOrANonBrowserClientConnects(string transport, string? origin)
    {
        var (client, error) = await WebSocketFromAsync(transport, origin == "own" ? Own : origin);
        await using var _ = client;

        Assert.Null(error);
        await client.SendAsync("hello");
        Assert.Equal("hello", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AnXhrPollFromAnotherSiteIsA403WithoutCorsHeadersAndNoSession()
    {
        var before = Sessions;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socket.io/xhr-polling//1");
        request.Headers.Add("Origin", Evil);

        using var response = await http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.StartsWith("Origin not allowed: http://evil.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, Sessions);
    }

    [Fact]
    public async Task AnXhrPollFromAListedOriginGetsItEchoedInCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socket.io/xhr-polling//1");
        request.Headers.Add("Origin", Partner);

        using var response = await http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Partner, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task ANullOriginIsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socket.io/xhr-polling//1");
        request.Headers.Add("Origin", "null");

        using var response = await http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APostFromAnotherSiteIsA401AndItsMessagesAreNotUsed(bool jsonp)
    {
        await using var client = new PollingTestClient(app.Address, jsonp);
        await client.ConnectAsync().DefaultTimeout();
        var path = jsonp ? $"/socket.io/jsonp-polling/{client.SessionId}/1/0" : $"/socket.io/xhr-polling/{client.SessionId}/send";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("data=" + Uri.EscapeDataString("~m~6~m~forged")) };
        request.Headers.Add("Origin", Evil);

        using var response = await client.Http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", await response.Content.ReadAsStringAsync());
        await client.SendAsync("genuine");
        Assert.Equal("genuine", await client.ReceiveTextAsync()); // "forged" never arrived before it
    }

    [Theory]
    [InlineData("Referer", "http://evil.example/page.html")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task AJsonpScriptTagOnAnotherSiteGetsTheAlertScriptAndNoSession(string header, string value)
    {
        var before = Sessions;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socket.io/jsonp-polling//1/0");
        request.Headers.Add(header, value);

        using var response = await http.SendAsync(request).DefaultTimeout();

        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("alert('Cross domain security restrictions not met');", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, Sessions);
    }

    [Fact]
    public async Task AJsonpScriptTagOnTheAppsOwnPageConnects()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socket.io/jsonp-polling//1/0");
        request.Headers.Add("Referer", Own + "/chat.html");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        using var response = await http.SendAsync(request).DefaultTimeout();

        Assert.StartsWith("io.JSONP[0]._(\"~m~32~m~", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/socket.io/htmlfile//1", "Referer", "http://evil.example/frame.html", HttpStatusCode.Forbidden)]
    [InlineData("/socket.io/htmlfile//1", "Referer", "own", HttpStatusCode.OK)]
    [InlineData("/socket.io/xhr-multipart/", "Origin", Evil, HttpStatusCode.Forbidden)]
    [InlineData("/socket.io/xhr-multipart/", "Origin", Partner, HttpStatusCode.OK)]
    public async Task TheStreamingTransportsAreCheckedToo(string path, string header, string value, HttpStatusCode expected)
    {
        var before = Sessions;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(header, value == "own" ? Own + "/page.html" : value);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal(before, Sessions);
        }
    }

    [Fact]
    public async Task StarAllowsEveryOrigin()
    {
        await using var open = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.AllowedOrigins.Add("*"));
        await using var client = new WebSocketTestClient(open.Address);
        client.Options.SetRequestHeader("Origin", Evil);

        await client.ConnectAsync().DefaultTimeout();

        await client.SendAsync("from anywhere");
        Assert.Equal("from anywhere", await client.ReceiveTextAsync());
    }
}
