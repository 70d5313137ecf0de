using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using CsCheck;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Properties;

/// <summary>
/// Random and mutated requests against a real Kestrel app: paths, queries, jsonp indexes, urlencoded bodies and
/// WebSocket messages. Every request is answered in time with a 2xx/4xx (or, for a named session that does not
/// exist, the connection is closed as docs/protocol-0.6.md §2.1 says), a WebSocket is never closed but with 1007, 1008 or 1009,
/// valid messages come back exactly, nothing is logged as an error, and a bystander keeps working.
/// </summary>
public sealed class TransportPropertyTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["GET", "POST", "OPTIONS", "PUT", "HEAD"];
    private static readonly string[] Transports = ["xhr-polling", "jsonp-polling", "websocket", "flashsocket", "htmlfile", "xhr-multipart", "constructor", "%2e%2e"];
    private static readonly HttpStatusCode[] Answers =
    [
        HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound,
        HttpStatusCode.MethodNotAllowed, HttpStatusCode.RequestEntityTooLarge,
    ];

    private TestApp app = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o =>
        {
            o.PollDuration = TimeSpan.FromMilliseconds(300);
            o.PollingCloseTimeout = TimeSpan.FromSeconds(2);
            o.MaxMessageSize = 16 * 1024;
            o.MaxFramesPerPayload = 16;
            o.MaxChannelsPerSession = 4;
            o.MaxChannelNameLength = 16;
            o.MessageLogFormat = null;
            // The long run holds one WebSocket for minutes on a busy machine: heartbeats (tested elsewhere) are
            // kept out of it, so that only what the input does can end a session.
            o.HeartbeatInterval = TimeSpan.FromHours(1);
        });
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }

    private static Gen<string> Segment { get; } = Gen.Frequency(
        (3, Gen.Const(string.Empty)),
        (3, Gen.Int[0, 99999].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (2, Gen.Const("send")),
        (1, Gen.Const(new string('f', 32))),
        (1, Gen.Const("-1")),
        (1, Gen.Const("99999999999999999999")),
        (3, Generators.Text(false).Select(Uri.EscapeDataString)));

    private sealed record Input(string Method, string Path, string? Body, string? Origin);

    private static Gen<Input> Request { get; } = Gen.Select(
        Gen.Int[0, Methods.Length - 1], Gen.Int[0, Transports.Length - 1], Segment.Array[0, 4], Generators.Text(false),
        Gen.Frequency((3, Generators.MutatedPayload.Select(p => (string?)("data=" + Uri.EscapeDataString(p)))), (1, Generators.AnyText.Select(t => (string?)t)), (1, Gen.Const((string?)null))),
        Gen.Frequency((4, Gen.Const((string?)null)), (1, Gen.Const((string?)"http://evil.example")), (1, Gen.Const((string?)"null"))),
        (method, transport, segments, query, body, origin) => new Input(
            Methods[method],
            "/socket.io/" + Transports[transport] + (segments.Length == 0 ? string.Empty : "/" + string.Join('/', segments))
                + (query.Length == 0 ? string.Empty : "?" + Uri.EscapeDataString(query)),
            Methods[method] is "POST" or "PUT" ? body : null,
            origin));

    [Fact]
    public async Task RandomRequestsUnderTheResourceAreAnsweredWithAClientStatusOrClosed()
    {
        var iterations = FuzzSettings.Iterations(250);
        var watch = Stopwatch.StartNew();
        var tried = 0L;
        await Request.SampleAsync(async input =>
        {
            Interlocked.Increment(ref tried);
            using var request = new HttpRequestMessage(new HttpMethod(input.Method), input.Path);
            if (input.Body is not null)
            {
                request.Content = new StringContent(input.Body, Encoding.UTF8, "application/x-www-form-urlencoded");
            }

            if (input.Origin is not null)
            {
                request.Headers.TryAddWithoutValidation("Origin", input.Origin);
            }

            try
            {
                // Headers only: htmlfile and xhr-multipart answers stay open (streaming); disposing ends them.
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Contains(response.StatusCode, Answers);
            }
            catch (HttpRequestException)
            {
                // Only a request naming a session may be cut off (docs/protocol-0.6.md §2.1: unknown session, no response).
                var segments = new Uri(app.Address, input.Path).AbsolutePath.Split('/');
                Assert.True(segments.Length > 3 && segments[3].Length > 0, "closed without an answer: " + input);
            }
        }, iter: iterations, threads: 4).WaitAsync(FuzzSettings.Limit(TimeSpan.FromSeconds(120)));
        FuzzSettings.Report("HTTP requests", tried, watch);
        Assert.Equal(iterations, tried);

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task RandomWebSocketMessagesAreUsedOrClosedWith1007Or1008Or1009()
    {
        var iterations = FuzzSettings.Iterations(300);
        var watch = Stopwatch.StartNew();
        var closes = new Dictionary<WebSocketCloseStatus, int>();
        var tried = 0L;
        var client = await ConnectWebSocketAsync();
        try
        {
            var gen = Gen.Frequency((4, Generators.MutatedPayload), (1, Generators.AnyText), (1, Generators.ValidPayload));
            await gen.SampleAsync(async payload =>
            {
                tried++;
                try
                {
                    await client.SendRawAsync(Encoding.UTF8.GetBytes(payload)); // lone surrogates become U+FFFD, as in a browser
                }
                catch (WebSocketException exception)
                {
                    // The server cut the connection before this message: say why, from its log.
                    var ended = app.Logs.Where(e => e.Message.Contains(client.SessionId, StringComparison.Ordinal)).Select(e => e.Message);
                    Assert.Fail($"the connection was lost before a message ({exception.Message}); server log for the session: {string.Join(" | ", ended)}");
                }

                var probe = "probe-" + Guid.NewGuid().ToString("N");
                try
                {
                    await client.SendAsync(probe);
                }
                catch (WebSocketException)
                {
                }

                while (true)
                {
                    Received message;
                    try
                    {
                        message = await client.ReceiveAsync();
                    }
                    catch (Exception) when (client.Closed.IsCompleted)
                    {
                        var status = client.CloseStatus;
                        Assert.True(status is WebSocketCloseStatus.InvalidPayloadData or WebSocketCloseStatus.PolicyViolation or WebSocketCloseStatus.MessageTooBig,
                            $"closed with {status} {client.CloseStatusDescription} after {payload}");
                        Assert.False(string.IsNullOrEmpty(client.CloseStatusDescription));
                        closes[status!.Value] = closes.GetValueOrDefault(status.Value) + 1;
                        await client.DisposeAsync();
                        client = await ConnectWebSocketAsync();
                        return;
                    }

                    if (!message.IsJson && message.Text == probe)
                    {
                        return;
                    }
                }
            }, iter: iterations, threads: 1).WaitAsync(FuzzSettings.Limit(TimeSpan.FromSeconds(120)));
        }
        finally
        {
            await client.DisposeAsync();
        }

        FuzzSettings.Report("WebSocket messages", tried, watch);
        Assert.Equal(iterations, tried);
        Assert.NotEmpty(closes); // the generator does produce refused payloads
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("xhr-polling")]
    [InlineData("jsonp-polling")]
    public async Task ValidMessagesComeBackExactlyEmojiAndLoneSurrogatesIncluded(string transport)
    {
        var iterations = FuzzSettings.Iterations(transport == "websocket" ? 200 : 60);
        var watch = Stopwatch.StartNew();
        await using SocketIoTestClient client = transport == "websocket"
            ? new WebSocketTestClient(app.Address)
            : new PollingTestClient(app.Address, jsonp: transport == "jsonp-polling");
        await client.ConnectAsync().DefaultTimeout();
        var gen = Gen.Frequency(
            (3, Generators.ClientText.Select(t => (Frame: t, Expected: t))),
            // A lone surrogate can only travel from a client as a JSON escape; Newtonsoft.Json reads it as U+FFFD,
            // and the server sends it back as valid UTF-8.
            (1, Generators.AnyText.Select(t => (Frame: "~j~" + Newtonsoft.Json.JsonConvert.ToString(t), Expected: Replaced(t)))));
        var tried = 0L;
        await gen.Array[1, 5].SampleAsync(async messages =>
        {
            tried++;
            await client.SendPayloadAsync(string.Concat(messages.Select(m => Generators.Frame(m.Frame))));
            foreach (var (_, expected) in messages)
            {
                var received = await client.ReceiveAsync();
                var text = received.IsJson ? JToken.Parse(received.Text).Value<string>() : received.Text;
                Assert.Equal(expected, text);
            }
        }, iter: iterations, threads: 1).WaitAsync(FuzzSettings.Limit(TimeSpan.FromSeconds(90)));
        FuzzSettings.Report("round trips over " + transport, tried, watch);
        Assert.Equal(iterations, tried);
    }

    private static string Replaced(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text, i, 2);
                i++;
            }
            else
            {
                builder.Append(char.IsSurrogate(text[i]) ? '\uFFFD' : text[i]);
            }
        }

        return builder.ToString();
    }

    private async Task<WebSocketTestClient> ConnectWebSocketAsync()
    {
        var client = new WebSocketTestClient(app.Address);
        await client.ConnectAsync().DefaultTimeout();
        return client;
    }

    private async Task AssertStillServingAsync()
    {
        await using var bystander = await ConnectWebSocketAsync();
        await bystander.SendAsync("still here");
        Assert.Equal("still here", await bystander.ReceiveTextAsync());
        Assert.Empty(app.Logs.Where(e => e.Level >= LogLevel.Error));
    }
}
