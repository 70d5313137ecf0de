using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>A raw Engine.IO 4 polling client (docs/protocol-v5.md §1): plain HTTP requests to the resource root.</summary>
public sealed class EngineIoPollingClient : IDisposable
{
    public EngineIoPollingClient(Uri server)
    {
        Http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public string Sid { get; private set; } = string.Empty;

    public JObject Handshake { get; private set; } = [];

    public string Url => "/socket.io/?EIO=4&transport=polling&sid=" + Uri.EscapeDataString(Sid);

    /// <summary>The handshake GET: returns the open packet's JSON.</summary>
    public async Task<JObject> OpenAsync()
    {
        using var response = await Http.GetAsync("/socket.io/?EIO=4&transport=polling&t=abc").DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"handshake answered {response.StatusCode}: {body}");
        Assert.StartsWith("0{", body, StringComparison.Ordinal);
        Handshake = JObject.Parse(body[1..]);
        Sid = (string)Handshake["sid"]!;
        return Handshake;
    }

    /// <summary>Opens and connects to <paramref name="nsp"/>: returns the socket id of the CONNECT answer.</summary>
    public async Task<string> ConnectAsync(string nsp = "/")
    {
        await OpenAsync();
        await PostAsync(nsp == "/" ? "40" : "40" + nsp + ",");
        var answer = await GetAsync();
        var prefix = nsp == "/" ? "40" : "40" + nsp + ",";
        Assert.StartsWith(prefix + "{", answer[0], StringComparison.Ordinal);
        return (string)JObject.Parse(answer[0][prefix.Length..])["sid"]!;
    }

    /// <summary>One poll: the packets of its body.</summary>
    public async Task<string[]> GetAsync()
    {
        using var response = await Http.GetAsync(Url).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"poll answered {response.StatusCode}: {body}");
        return body.Split('\u001e');
    }

    /// <summary>Polls until a packet other than a ping or noop comes (answering pings), and returns it.</summary>
    public async Task<string> ReceiveAsync(Queue<string>? pending = null)
    {
        while (true)
        {
            foreach (var packet in await GetAsync())
            {
                if (packet == "2")
                {
                    await PostAsync("3");
                }
                else if (packet != "6")
                {
                    return packet;
                }
            }
        }
    }

    /// <summary>POSTs packets (joined by the record separator) and checks the answer is 200 <c>ok</c>.</summary>
    public async Task PostAsync(params string[] packets)
    {
        using var response = await PostRawAsync(string.Join('\u001e', packets));
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST answered {response.StatusCode}: {body}");
        Assert.Equal("ok", body);
    }

    public Task<HttpResponseMessage> PostRawAsync(string body) =>
        Http.PostAsync(Url, new StringContent(body, Encoding.UTF8, "text/plain")).DefaultTimeout();

    public void Dispose() => Http.Dispose();
}
