using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;
using SocketIoChannels.Tests.Properties;

namespace SocketIoChannels.Tests.Functional;

/// <summary>
/// The hostile-input catalogue (issue 6): one case each, every case gets a clear answer (a status with a short
/// text, or a WebSocket close code with a reason) while a bystander session keeps working.
/// </summary>
public sealed class HostileInputCatalogueTests : IAsyncLifetime
{
    private const int MaxMessageSize = 4 * 1024 * 1024;
    private TestApp app = null!;
    private WebSocketTestClient bystander = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o =>
        {
            o.MaxMessageSize = MaxMessageSize;
            o.MessageLogFormat = null;
        }, services: s => s.Configure<KestrelServerOptions>(k =>
            k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(2))));
        bystander = new WebSocketTestClient(app.Address);
        await bystander.ConnectAsync().DefaultTimeout();
    }

    public async Task DisposeAsync()
    {
        await bystander.DisposeAsync();
        await app.DisposeAsync();
    }

    private async Task AssertBystanderServedAsync()
    {
        var text = "still served " + Guid.NewGuid().ToString("N");
        await bystander.SendAsync(text);
        Assert.Equal(text, await bystander.ReceiveTextAsync());
        Assert.Empty(app.Logs.Where(e => e.Level >= LogLevel.Error));
    }

    private async Task<PollingTestClient> PollingAsync()
    {
        var client = new PollingTestClient(app.Address, jsonp: false);
        await client.ConnectAsync().DefaultTimeout();
        return client;
    }

    private async Task<WebSocketTestClient> WebSocketAsync()
    {
        var client = new WebSocketTestClient(app.Address);
        await client.ConnectAsync().DefaultTimeout();
        return client;
    }

    private async Task AssertPostRefusedAsync(string payload, HttpStatusCode status, string text)
    {
        await using var client = await PollingAsync();
        using var response = await client.PostAsync(payload);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(text, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The payload was refused whole, the session goes on.
        await client.SendAsync("after the refusal");
        Assert.Equal("after the refusal", await client.ReceiveTextAsync());
        await AssertBystanderServedAsync();
    }

    private async Task AssertPostPartlyUsedAsync(string payload, string[] used, string logged)
    {
        await using var client = await PollingAsync();
        using var response = await client.PostAsync(payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        foreach (var message in used)
        {
            Assert.Equal(message, await client.ReceiveTextAsync());
        }

        await client.SendAsync("after the broken frame");
        Assert.Equal("after the broken frame", await client.ReceiveTextAsync());
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 112 && e.Message.Contains(logged, StringComparison.Ordinal));
        await AssertBystanderServedAsync();
    }

    private async Task AssertWebSocketClosedAsync(byte[] message, WebSocketCloseStatus status, string reason)
    {
        await using var client = await WebSocketAsync();
        await client.SendRawAsync(message);
        await client.Closed.DefaultTimeout();
        Assert.Equal(status, client.CloseStatus);
        Assert.Contains(reason, client.CloseStatusDescription, StringComparison.Ordinal);
        await AssertBystanderServedAsync();
    }

    // Broken framing in a POST keeps the frames before it and drops the rest (docs/protocol-0.6.md §1.5): answered ok, logged.
    [Fact]
    public Task ANonNumericLengthInAPostKeepsTheFramesBeforeIt() => AssertPostPartlyUsedAsync("~m~2~m~ok~m~x~m~abc", ["ok"], "frame length is not a number");

    [Fact]
    public Task ANegativeLengthInAPostIsDropped() => AssertPostPartlyUsedAsync("~m~-1~m~abc", [], "frame length is not a number");

    [Fact]
    public Task AHugeLengthInAPostIsDropped() => AssertPostPartlyUsedAsync("~m~99999999999999999999~m~abc", [], "frame length too large");

    [Fact]
    public Task ALengthLargerThanThePayloadInAPostIsDropped() => AssertPostPartlyUsedAsync("~m~20~m~abc", [], "is larger than the 3 characters left");

    [Fact]
    public Task ALengthLargerThanThePayloadClosesAWebSocketWith1007() =>
        AssertWebSocketClosedAsync("~m~20~m~abc"u8.ToArray(), WebSocketCloseStatus.InvalidPayloadData, "Malformed payload");

    [Fact]
    public Task AFrameOverMaxMessageSizeClosesWith1009() =>
        AssertWebSocketClosedAsync(Encoding.UTF8.GetBytes(Generate(MaxMessageSize + 1)), WebSocketCloseStatus.MessageTooBig, $"at most {MaxMessageSize} bytes");

    [Fact]
    public async Task APostBodyOverTheLimitIsA413()
    {
        await using var client = await PollingAsync();
        using var response = await client.PostAsync(Generate(MaxMessageSize + 1));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains($"at most {MaxMessageSize} bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertBystanderServedAsync();
    }

    [Fact]
    public Task InvalidUtf8ClosesAWebSocketWith1007() =>
        // .NET's WebSocket checks UTF-8 itself and closes with 1007 and no reason text.
        AssertWebSocketClosedAsync([.. "~m~2~m~"u8, 0xC3, 0x28], WebSocketCloseStatus.InvalidPayloadData, string.Empty);

    [Fact]
    public async Task InvalidUtf8InAPostIsA400()
    {
        await using var client = await PollingAsync();
        using var response = await client.Http.PostAsync($"/socket.io/xhr-polling/{client.SessionId}/send",
            new StringContent("data=%7Em%7E2%7Em%7E%C3%28", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The data field is not valid UTF-8.", await response.Content.ReadAsStringAsync());
        await AssertBystanderServedAsync();
    }

    [Fact]
    public Task JsonNested10000DeepClosesWith1007() =>
        AssertWebSocketClosedAsync(Encoding.UTF8.GetBytes(Generators.Frame("~j~" + new string('[', 10_000) + new string(']', 10_000))),
            WebSocketCloseStatus.InvalidPayloadData, "MaxDepth of 64");

    [Fact]
    public async Task ProtoAndConstructorKeysAreOrdinaryData()
    {
        await using var client = await WebSocketAsync();
        var hostile = JObject.Parse("""{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},"x":1}""");

        await client.SendAsync(hostile);

        Assert.True(JToken.DeepEquals(hostile, await client.ReceiveJsonAsync()));
        await client.SendAsync(new JObject { ["action"] = "send", ["payload"] = new JObject() });
        Assert.False(((JObject)await client.ReceiveJsonAsync()).ContainsKey("admin"));
        await AssertBystanderServedAsync();
    }

    [Fact]
    public Task AChannelNameOf1MBClosesWith1008() =>
        AssertWebSocketClosedAsync(Encoding.UTF8.GetBytes(Generators.Frame("__subscribe__") + Generators.Frame(new string('c', 1024 * 1024))),
            WebSocketCloseStatus.PolicyViolation, "a channel name may have at most 256 characters");

    [Fact]
    public async Task HundredThousandSubscribeFramesInOnePayloadAreA400()
    {
        var payload = new StringBuilder();
        for (var i = 0; i < 50_000; i++)
        {
            payload.Append(Generators.Frame("__subscribe__")).Append(Generators.Frame("r" + i));
        }

        await AssertPostRefusedAsync(payload.ToString(), HttpStatusCode.BadRequest, "a payload may hold at most 1000 frames");
    }

    [Fact]
    public async Task MoreThanMaxChannelsPerSessionClosesWith1008AndTheFirstHundredWork()
    {
        await using var client = await WebSocketAsync();
        await client.SendAsync(Enumerable.Range(0, 100).SelectMany(i => new object[] { "__subscribe__", "room-" + i }).ToArray());
        await client.SendAsync(new JObject { ["action"] = "channels" });
        Assert.Equal(100, ((JArray)await client.ReceiveJsonAsync()).Count);

        await client.SubscribeAsync("room-100");

        await client.Closed.DefaultTimeout();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Contains("at most 100 channels", client.CloseStatusDescription, StringComparison.Ordinal);
        await AssertBystanderServedAsync();
    }

    [Fact]
    public async Task AWebSocketUpgradeWithThousandsOfHeadersIsA431()
    {
        var request = new StringBuilder("GET /socket.io/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n")
            .Append("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        for (var i = 0; i < 5000; i++)
        {
            request.Append("X-Header-").Append(i).Append(": v\r\n");
        }

        var answer = await RawHttpAsync(request.Append("\r\n").ToString());

        Assert.StartsWith("HTTP/1.1 431", answer, StringComparison.Ordinal);
        await AssertBystanderServedAsync();
    }

    [Fact]
    public async Task AnH2cUpgradeIsA400NamingTheWebSocketUpgrade()
    {
        var answer = await RawHttpAsync("GET /socket.io/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("needs a WebSocket upgrade request", answer, StringComparison.Ordinal);
        await AssertBystanderServedAsync();
    }

    [Fact]
    public async Task ConcurrentPollsForOneSessionAnswerTheOlderOneEmpty()
    {
        await using var client = new PollingTestClient(app.Address, jsonp: false) { AutoPoll = false };
        await client.ConnectAsync().DefaultTimeout();
        var older = client.GetPayloadAsync(client.SessionId);
        await Eventually.TrueAsync(() => Task.FromResult(app.Services.GetRequiredService<SessionStore>().Find(client.SessionId)?.HasConnection == true), "the older poll held by the server");
        var newer = client.GetPayloadAsync(client.SessionId);

        Assert.Equal(string.Empty, await older.DefaultTimeout());
        await client.PostAsync(Generators.Frame("to the newer poll"));
        Assert.Equal(Generators.Frame("to the newer poll"), await newer.DefaultTimeout());
        await AssertBystanderServedAsync();
    }

    [Fact]
    public async Task APostToAnUnknownSessionIsClosedWithoutAnAnswer()
    {
        await using var client = new PollingTestClient(app.Address, jsonp: false) { AutoPoll = false };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.PostAsync("~m~5~m~hello", "0123456789abcdef0123456789abcdef"));
        await AssertBystanderServedAsync();
    }

    [Fact]
    public async Task GuessedSessionIdsReachNoSession()
    {
        await using var victim = await PollingAsync();
        Assert.Matches("^[0-9a-f]{32}$", victim.SessionId);
        await using var attacker = new PollingTestClient(app.Address, jsonp: false) { AutoPoll = false };
        var guesses = 0;
        foreach (var guess in Enumerable.Range(0, 200).Select(_ => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)))
                     .Append(victim.SessionId[..31] + (victim.SessionId[31] == '0' ? '1' : '0'))
                     .Append(victim.SessionId.ToUpperInvariant()))
        {
            Assert.Null(await attacker.GetPayloadAsync(guess).ContinueWith(t => t.IsFaulted ? null : t.Result).DefaultTimeout());
            guesses++;
        }

        Assert.Equal(202, guesses);
        await victim.SendAsync("mine");
        Assert.Equal("mine", await victim.ReceiveTextAsync());
        await AssertBystanderServedAsync();
    }

    [Fact]
    public async Task ASlowLorisPostIsCutOffByKestrelsMinimumDataRate()
    {
        await using var client = await PollingAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, app.Address.Port).DefaultTimeout();
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /socket.io/xhr-polling/{client.SessionId}/send HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ndata="));
        var started = DateTime.UtcNow;
        var buffer = new byte[4096];
        var answer = string.Empty;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(20))
        {
            try
            {
                await stream.WriteAsync("x"u8.ToArray());
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                var read = await stream.ReadAsync(buffer, wait.Token);
                answer = Encoding.ASCII.GetString(buffer, 0, read);
                break;
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
                break;
            }
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "the slow POST was never cut off");
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("MinRequestBodyDataRate", answer, StringComparison.Ordinal);
        await client.SendAsync("the session survived");
        Assert.Equal("the session survived", await client.ReceiveTextAsync());
        await AssertBystanderServedAsync();
    }

    private async Task<string> RawHttpAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, app.Address.Port).DefaultTimeout();
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().DefaultTimeout();
        var buffer = new byte[8192];
        var read = await stream.ReadAsync(buffer).AsTask().DefaultTimeout();
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static string Generate(int length) => Generators.Frame(new string('x', length));
}
