using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>A raw HTTP client of xhr-polling or jsonp-polling: one poll loop, POSTs one at a time, like the 0.6
/// client.</summary>
public sealed partial class PollingTestClient : SocketIoTestClient
{
    private readonly HttpClient http;
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim postLock = new(1, 1);
    private readonly bool jsonp;
    private Task? polling;
    private string? sid;
    private long timestamp = 1;

    public PollingTestClient(Uri server, bool jsonp, System.Net.CookieContainer? cookies = null) : base(server)
    {
        this.jsonp = jsonp;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (cookies is not null)
        {
            handler.CookieContainer = cookies;
        }

        http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(40) };
    }

    public override string Transport => jsonp ? "jsonp-polling" : "xhr-polling";

    /// <summary>Whether the poll loop runs on its own (off to drive polls by hand with <see cref="PollOnceAsync"/>).</summary>
    public bool AutoPoll { get; init; } = true;

    public HttpClient Http => http;

    protected override async Task OpenAsync(string? resumeSessionId)
    {
        sid = resumeSessionId;
        if (sid is null)
        {
            var body = await GetPayloadAsync(string.Empty);
            OnPayload(body ?? throw new InvalidOperationException("the handshake poll failed"));
            sid = SessionIdFromFirstPayload(body);
        }

        if (AutoPoll)
        {
            polling = PollLoopAsync();
        }
    }

    private static string SessionIdFromFirstPayload(string body)
    {
        var frames = new List<SocketIoChannels.Protocol.InboundFrame>();
        SocketIoChannels.Protocol.FrameCodec.TryDecode(body, frames, out _);
        return frames[0].Text;
    }

    /// <summary>The URL of a poll for a session (empty: a new session).</summary>
    public string PollPath(string session) =>
        $"/{Resource}/{Transport}/{session}/{Interlocked.Increment(ref timestamp)}" + (jsonp ? "/0" : string.Empty);

    /// <summary>Makes one poll and returns its decoded payload, or <see langword="null"/> when the server closed the
    /// connection or answered an error.</summary>
    public async Task<string?> GetPayloadAsync(string session)
    {
        using var response = await http.GetAsync(PollPath(session), stop.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync(stop.Token);
        return jsonp ? UnwrapJsonp(body) : body;
    }

    public static string UnwrapJsonp(string body)
    {
        var match = JsonpPattern().Match(body);
        Assert.True(match.Success, "not a jsonp answer: " + body);
        return JToken.Parse(match.Groups[1].Value).Value<string>()!;
    }

    public async Task PollOnceAsync()
    {
        var payload = await GetPayloadAsync(sid!);
        if (payload is not null)
        {
            OnPayload(payload);
        }
    }

    private async Task PollLoopAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var payload = await GetPayloadAsync(sid!);
                if (payload is null)
                {
                    OnClosed("poll refused");
                    return;
                }

                OnPayload(payload);
            }
        }
        catch (Exception exception)
        {
            OnClosed("poll failed: " + exception.Message);
        }
    }

    public override async Task SendPayloadAsync(string payload)
    {
        var response = await PostAsync(payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs a payload the way the 0.6 client does and returns the raw answer.</summary>
    public async Task<HttpResponseMessage> PostAsync(string payload, string? session = null)
    {
        await postLock.WaitAsync();
        try
        {
            var path = jsonp ? $"/{Resource}/{Transport}/{session ?? sid}/1/0" : $"/{Resource}/{Transport}/{session ?? sid}/send";
            var encoded = jsonp
                ? WebUtility.UrlEncode(payload.Replace("\n", "\r\n", StringComparison.Ordinal)) // a textarea turns \n into \r\n
                : Uri.EscapeDataString(payload);
            var content = new StringContent("data=" + encoded, Encoding.UTF8, "application/x-www-form-urlencoded");
            return await http.PostAsync(path, content).DefaultTimeout();
        }
        finally
        {
            postLock.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (polling is not null)
        {
            try
            {
                await polling.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
            }
        }

        http.Dispose();
    }

    [GeneratedRegex(@"^io\.JSONP\[\d+\]\._\((.*)\);$", RegexOptions.Singleline)]
    private static partial Regex JsonpPattern();
}
