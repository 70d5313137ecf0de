using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// A raw client of htmlfile or xhr-multipart: one GET read chunk by chunk off a TCP socket (the scripts or the
/// multipart parts are taken apart here, as IE's iframe or Firefox's XHR would), and POSTs to <c>…/send</c>.
/// </summary>
public sealed partial class StreamingHttpTestClient : SocketIoTestClient
{
    private readonly HttpClient http;
    private readonly List<string> chunks = [];
    private RawHttpConnection? connection;
    private Task? receiving;
    private string? sid;

    public StreamingHttpTestClient(Uri server, string transport) : base(server)
    {
        if (transport is not ("htmlfile" or "xhr-multipart"))
        {
            throw new ArgumentException("htmlfile or xhr-multipart", nameof(transport));
        }

        Transport = transport;
        http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(15) };
    }

    public override string Transport { get; }

    /// <summary>The head of the streaming GET's response.</summary>
    public RawHttpResponseHead? Head { get; private set; }

    /// <summary>Every chunk of the streaming body so far, as text, in order (the prelude first).</summary>
    public IReadOnlyList<string> Chunks
    {
        get
        {
            lock (chunks)
            {
                return [.. chunks];
            }
        }
    }

    /// <summary>Extra request headers of the GET (e.g. Origin, Accept-Encoding).</summary>
    public Dictionary<string, string> Headers { get; } = [];

    public HttpClient Http => http;

    protected override async Task OpenAsync(string? resumeSessionId)
    {
        sid = resumeSessionId;
        connection = await RawHttpConnection.OpenAsync(Server);
        var path = Transport == "htmlfile"
            ? $"/{Resource}/htmlfile/{resumeSessionId}" + (resumeSessionId is null ? "/" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture) : string.Empty)
            : $"/{Resource}/xhr-multipart/{resumeSessionId}";
        var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: {connection.HostHeader(Server)}\r\n");
        foreach (var (name, value) in Headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await connection.WriteAsync(request.Append("\r\n").ToString());
        Head = await connection.ReadHeadAsync();
        if (Head.StatusCode != 200 || !Head.IsChunked)
        {
            throw new InvalidOperationException("unexpected answer: " + Head.StatusLine);
        }

        receiving = ReceiveLoopAsync(connection);
    }

    private async Task ReceiveLoopAsync(RawHttpConnection raw)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var text = new StringBuilder();
        var sawPrelude = false;
        try
        {
            while (true)
            {
                var chunk = await raw.ReadChunkAsync(Timeout.InfiniteTimeSpan);
                if (chunk is null)
                {
                    OnClosed("the response ended");
                    return;
                }

                var chars = new char[decoder.GetCharCount(chunk, flush: false)];
                decoder.GetChars(chunk, chars, flush: false);
                lock (chunks)
                {
                    chunks.Add(new string(chars));
                }

                text.Append(chars);
                if (!sawPrelude)
                {
                    sawPrelude = TakePrelude(text);
                }

                if (sawPrelude)
                {
                    foreach (var payload in TakePayloads(text))
                    {
                        sid ??= FirstFrame(payload);
                        OnPayload(payload);
                    }
                }
            }
        }
        catch (Exception exception)
        {
            OnClosed("connection lost: " + exception.Message);
        }
    }

    private bool TakePrelude(StringBuilder text)
    {
        if (Transport == "htmlfile")
        {
            if (text.Length < 256)
            {
                return false;
            }

            text.Remove(0, 256);
            return true;
        }

        const string boundary = "--socketio\n";
        if (text.Length < boundary.Length)
        {
            return false;
        }

        Assert.Equal(boundary, text.ToString(0, boundary.Length));
        text.Remove(0, boundary.Length);
        return true;
    }

    private IEnumerable<string> TakePayloads(StringBuilder text)
    {
        var payloads = new List<string>();
        while (true)
        {
            var current = text.ToString();
            if (Transport == "htmlfile")
            {
                var match = ScriptPattern().Match(current);
                if (!match.Success)
                {
                    break;
                }

                payloads.Add(JToken.Parse(match.Groups[1].Value).Value<string>()!);
                text.Remove(0, match.Length);
            }
            else
            {
                const string header = "Content-Type: text/plain\n\n";
                const string end = "\n--socketio\n";
                var close = current.IndexOf(end, StringComparison.Ordinal);
                if (close < 0)
                {
                    break;
                }

                Assert.StartsWith(header, current);
                payloads.Add(current[header.Length..close]);
                text.Remove(0, close + end.Length);
            }
        }

        return payloads;
    }

    private static string FirstFrame(string payload)
    {
        var frames = new List<SocketIoChannels.Protocol.InboundFrame>();
        SocketIoChannels.Protocol.FrameCodec.TryDecode(payload, frames, out _);
        return frames[0].Text;
    }

    public override async Task SendPayloadAsync(string payload)
    {
        var response = await PostAsync(payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs a payload to <c>…/{sid}/send</c> as the 0.6 client does and returns the raw answer.</summary>
    public Task<HttpResponseMessage> PostAsync(string payload, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/{Resource}/{Transport}/{sid ?? SessionId}/send")
        {
            Content = new StringContent("data=" + Uri.EscapeDataString(payload), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        configure?.Invoke(request);
        return http.SendAsync(request).DefaultTimeout();
    }

    /// <summary>Drops the GET's connection without a word, as a closed iframe or an aborted XHR would.</summary>
    public async Task DropAsync()
    {
        connection?.Drop();
        await Closed.DefaultTimeout();
    }

    public override async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (receiving is not null)
        {
            await receiving.DefaultTimeout();
        }

        http.Dispose();
    }

    [GeneratedRegex(@"^<script>parent\.s\._\((.*?), document\);</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptPattern();
}
