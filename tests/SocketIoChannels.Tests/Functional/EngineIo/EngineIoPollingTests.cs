using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>Engine.IO 4 long polling on the resource root (docs/protocol-v5.md §1.1–§1.4, §1.6), raw HTTP.</summary>
public sealed class EngineIoPollingTests
{
    [Fact]
    public async Task TheHandshakeAnswersTheOpenPacketWithTheConfiguredTimingsAndMaxPayload()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.MaxMessageSize = 123_456);
        using var client = new EngineIoPollingClient(app.Address);

        var open = await client.OpenAsync();

        Assert.Equal(22, client.Sid.Length); // 128 bits as base64url
        Assert.Matches("^[A-Za-z0-9_-]{22}$", client.Sid);
        Assert.Equal(new JArray("websocket"), open["upgrades"]);
        Assert.Equal(25000, (long)open["pingInterval"]!);
        Assert.Equal(20000, (long)open["pingTimeout"]!);
        Assert.Equal(123_456, (long)open["maxPayload"]!);
    }

    [Fact]
    public async Task AMessageGoesBothWaysAfterConnect()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var client = new EngineIoPollingClient(app.Address);
        var socketId = await client.ConnectAsync();

        await client.PostAsync("42[\"message\",\"hi\"]");

        Assert.Equal("42[\"message\",\"hi\"]", await client.ReceiveAsync()); // TestHandlers echo with socket.Send
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        await recorder.WaitForAsync(socketId, e => e.Contains("message:\"hi\""));
        Assert.Equal("connect", recorder.For(socketId)[0]);
    }

    [Fact]
    public async Task APayloadOfSeveralPacketsIsHandledInOrderAndAnsweredInOnePoll()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var client = new EngineIoPollingClient(app.Address);
        var socketId = await client.ConnectAsync();

        await client.PostAsync("42[\"message\",\"a\"]", "42[\"message\",\"b\"]", "42[\"message\",\"c\"]");
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("message:\"c\""));

        Assert.Equal(["42[\"message\",\"a\"]", "42[\"message\",\"b\"]", "42[\"message\",\"c\"]"], await client.GetAsync());
    }

    [Fact]
    public async Task BinaryGoesAsBase64BothWaysInPollingPayloads()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var client = new EngineIoPollingClient(app.Address);
        var socketId = await client.ConnectAsync();

        await client.PostAsync("451-[\"message\",{\"_placeholder\":true,\"num\":0}]", "bAQID");

        Assert.Equal(["451-[\"message\",{\"_placeholder\":true,\"num\":0}]", "bAQID"], await client.GetAsync());
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("message:\"AQID\""));
    }

    [Fact]
    public async Task APostOverMaxPayloadGets413AndEndsTheSession()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.MaxMessageSize = 1000);
        using var client = new EngineIoPollingClient(app.Address);
        await client.ConnectAsync();

        using var response = await client.PostRawAsync("42[\"message\",\"" + new string('x', 1000) + "\"]");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var later = await client.Http.GetAsync(client.Url).DefaultTimeout();
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);
    }

    [Fact]
    public async Task MapSocketIoChannelsServesTheResourceRootToo()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), configureApp: a => a.MapSocketIoChannels(), useMiddleware: false);
        using var client = new EngineIoPollingClient(app.Address);
        await client.ConnectAsync();

        await client.PostAsync("42[\"message\",\"mapped\"]");

        Assert.Equal("42[\"message\",\"mapped\"]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task PollsOnConnectionsTheClientClosesAtOnceDeliverEveryPacketOnceInOrder()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var client = new EngineIoPollingClient(app.Address);
        var socketId = await client.ConnectAsync();

        // A client that closes each poll's connection as soon as it read the answer (node's XHR without keep-alive):
        // its close must not make the server think the answer was lost and send it again.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                app.Broadcaster.Send(socketId, i);
                if (i % 10 == 0)
                {
                    await Task.Delay(1);
                }
            }
        });
        var received = new List<string>();
        while (received.Count < 300)
        {
            await using var connection = await RawHttpConnection.OpenAsync(app.Address);
            await connection.WriteAsync($"GET {client.Url} HTTP/1.1\r\nHost: {connection.HostHeader(app.Address)}\r\n\r\n");
            var body = await connection.ReadBodyAsync(await connection.ReadHeadAsync());
            received.AddRange(body.Split('\u001e').Where(p => p is not ("2" or "6")));
            Assert.True(received.Count <= 300, "more packets than were sent: " + string.Join(" ", received));
        }

        await sending.DefaultTimeout();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"42[\"message\",{i}]"), received);
    }

    [Theory]
    [InlineData("GET", "/socket.io/?transport=polling", 5, "Unsupported protocol version")]
    [InlineData("GET", "/socket.io/?EIO=3&transport=polling", 5, "Unsupported protocol version")]
    [InlineData("GET", "/socket.io/?EIO=4", 0, "Transport unknown")]
    [InlineData("GET", "/socket.io/?EIO=4&transport=flashsocket", 0, "Transport unknown")]
    [InlineData("GET", "/socket.io/?EIO=4&transport=polling&sid=nope", 1, "Session ID unknown")]
    [InlineData("POST", "/socket.io/?EIO=4&transport=polling&sid=nope", 1, "Session ID unknown")]
    [InlineData("POST", "/socket.io/?EIO=4&transport=polling", 2, "Bad handshake method")]
    [InlineData("PUT", "/socket.io/?EIO=4&transport=polling", 2, "Bad handshake method")]
    [InlineData("GET", "/socket.io/?EIO=4&transport=websocket", 3, "Bad request")]
    [InlineData("GET", "/socket.io/?EIO=4&EIO=4&transport=polling", 5, "Unsupported protocol version")] // a name twice
    [InlineData("GET", "/socket.io/?EIO=4&transport=polling&transport=polling", 0, "Transport unknown")]
    [InlineData("GET", "/socket.io/?EIO=%34&transport=pol%6Cing&sid=no%70e", 1, "Session ID unknown")] // decoded
    [InlineData("GET", "/socket.io/?eio=4&TRANSPORT=polling&Sid=nope", 1, "Session ID unknown")] // names in any case
    [InlineData("GET", "/socket.io/?%45IO=4&transport=polling&sid=nope", 1, "Session ID unknown")]
    [InlineData("GET", "/socket.io/?EIO=4&transport=polling&sid=no+pe", 1, "Session ID unknown")]
    public async Task ABadRequestGets400WithNodesJsonBody(string method, string url, int code, string message)
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var http = new HttpClient { BaseAddress = app.Address };

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "GET" ? null : new StringContent("40") }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{{\"code\":{code},\"message\":\"{message}\"}}", await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Theory]
    [InlineData("EIO=4&transport=polling&sid={0}")]
    [InlineData("sid={0}&t=PQx1&EIO=4&transport=polling&b64=1")]
    [InlineData("EIO=%34&transport=polling&sid={0}")] // encoded: the whole query parsed
    [InlineData("eio=4&Transport=polling&SID={0}")]
    public async Task ThePollOfASessionIsFoundWhateverTheQueryLooksLike(string query)
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var client = new EngineIoPollingClient(app.Address);
        await client.ConnectAsync();
        await client.PostAsync("42[\"message\",\"found\"]");

        using var response = await client.Http.GetAsync("/socket.io/?" + string.Format(System.Globalization.CultureInfo.InvariantCulture, query, Uri.EscapeDataString(client.Sid))).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("42[\"message\",\"found\"]", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheZeroSixPathsAreUntouched()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new PollingTestClient(app.Address, jsonp: false);
        await client.ConnectAsync();
        await client.SendAsync("still 0.6");

        Assert.Equal("still 0.6", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task ASecondConcurrentGetGets400AndClosesTheSession()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var client = new EngineIoPollingClient(app.Address);
        await client.ConnectAsync();
        var held = client.Http.GetAsync(client.Url);
        var session = app.Services.GetRequiredService<SocketIoChannels.Sessions.EngineIoSessionStore>().Find(client.Sid)!;
        await Eventually.TrueAsync(() => Task.FromResult(session.IsPollHeld), "the first GET is held");

        using var second = await client.Http.GetAsync(client.Url).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", await second.Content.ReadAsStringAsync().DefaultTimeout());
        using var first = await held.DefaultTimeout();
        Assert.Equal("1", await first.Content.ReadAsStringAsync().DefaultTimeout()); // the close packet
        using var later = await client.Http.GetAsync(client.Url).DefaultTimeout();
        Assert.Equal("{\"code\":1,\"message\":\"Session ID unknown\"}", await later.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Fact]
    public async Task APostIsAnsweredOkAsTextHtml()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var client = new EngineIoPollingClient(app.Address);
        await client.OpenAsync();

        using var response = await client.PostRawAsync("40");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync().DefaultTimeout());

        // Framed by Content-Length, not chunked: the answer goes out in one write, with no closing chunk after it.
        Assert.Equal(2, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
    }

    [Fact]
    public async Task AnAllowedOriginGetsCorsWithCredentialsAndARefusedOneGets403WithoutASession()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.AllowedOrigins.Add("http://allowed.example"));
        using var http = new HttpClient { BaseAddress = app.Address };
        var store = app.Services.GetRequiredService<SocketIoChannels.Sessions.EngineIoSessionStore>();

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        allowed.Headers.Add("Origin", "http://allowed.example");
        using var allowedResponse = await http.SendAsync(allowed).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, allowedResponse.StatusCode);
        Assert.Equal("http://allowed.example", allowedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", allowedResponse.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Equal(1, store.Count);

        using var refused = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        refused.Headers.Add("Origin", "http://evil.example");
        using var refusedResponse = await http.SendAsync(refused).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Forbidden, refusedResponse.StatusCode);
        Assert.False(refusedResponse.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(1, store.Count);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/socket.io/?EIO=4&transport=polling");
        preflight.Headers.Add("Origin", "http://allowed.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var preflightResponse = await http.SendAsync(preflight).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("http://allowed.example", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("9")] // no such Engine.IO packet type
    [InlineData("42{\"not\":\"an array\"}")] // an EVENT payload must be an array
    [InlineData("49")] // no such Socket.IO packet type
    [InlineData("451000000000-[\"message\",{\"_placeholder\":true,\"num\":0}]")] // an attachment bomb
    [InlineData("bAQID")] // an attachment no packet announced
    [InlineData("44{\"message\":\"x\"}")] // CONNECT_ERROR from a client
    public async Task AMalformedPacketEndsTheSessionWith400(string packet)
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var client = new EngineIoPollingClient(app.Address);
        var socketId = await client.ConnectAsync();

        using var response = await client.PostRawAsync(packet);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", await response.Content.ReadAsStringAsync().DefaultTimeout());
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("disconnect"));
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 244);
        using var later = await client.Http.GetAsync(client.Url).DefaultTimeout();
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);
    }

    [Fact]
    public async Task TheServerPingsOnTheSweepAndEndsASessionWhosePongDoesNotCome()
    {
        var time = new FakeTimeProvider();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), services: s => s.AddSingleton<TimeProvider>(time));
        using var client = new EngineIoPollingClient(app.Address);
        var socketId = await client.ConnectAsync();

        // A held GET is answered with the ping once the interval passed; the pong keeps the session.
        var poll = client.GetAsync();
        await AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => poll.IsCompleted);
        Assert.Equal(["2"], await poll);
        await client.PostAsync("3");
        time.Advance(TimeSpan.FromSeconds(21));
        await Task.Delay(50);
        Assert.NotNull(app.Services.GetRequiredService<SocketIoChannels.Sessions.EngineIoSessionStore>().Find(client.Sid));

        // The next ping gets no pong: past the ping timeout the session ends and its socket sees OnDisconnect.
        poll = client.GetAsync();
        await AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => poll.IsCompleted);
        Assert.Equal(["2"], await poll);
        time.Advance(TimeSpan.FromSeconds(21));
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("disconnect"));
        using var later = await client.Http.GetAsync(client.Url).DefaultTimeout();
        Assert.Equal("{\"code\":1,\"message\":\"Session ID unknown\"}", await later.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Fact]
    public async Task ASessionWithoutConnectWithinTheConnectTimeoutIsClosed()
    {
        var time = new FakeTimeProvider();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(),
            o => { o.ConnectTimeout = TimeSpan.FromSeconds(5); }, services: s => s.AddSingleton<TimeProvider>(time));
        using var client = new EngineIoPollingClient(app.Address);
        await client.OpenAsync();

        var poll = client.GetAsync();
        await AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => poll.IsCompleted);

        Assert.Equal(["1"], await poll);
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 243);
        Assert.Null(app.Services.GetRequiredService<SocketIoChannels.Sessions.EngineIoSessionStore>().Find(client.Sid));
    }

    /// <summary>Advances fake time a step at a time (letting the sweep run) until <paramref name="done"/>.</summary>
    internal static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            time.Advance(step);
            await Task.Delay(20);
        }
    }
}
