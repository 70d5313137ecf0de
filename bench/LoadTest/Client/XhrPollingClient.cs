using System.Diagnostics;
using System.Globalization;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>A Socket.IO 0.6 xhr-polling client: GET <c>/socket.io/xhr-polling//ts</c> for the session id, POST
/// <c>__subscribe__</c>, then one long poll after another.</summary>
internal sealed class XhrPollingClient : IBenchClient
{
    private readonly HttpClient http;
    private readonly Uri baseUri;
    private readonly Action<string> onMessage;
    private readonly CancellationTokenSource stop = new();
    private string sessionId = string.Empty;
    private Task polling = Task.CompletedTask;

    public XhrPollingClient(HttpClient http, Uri baseUri, Action<string> onMessage)
    {
        this.http = http;
        this.baseUri = baseUri;
        this.onMessage = onMessage;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var first = await http.GetStringAsync(new Uri(baseUri, "/socket.io/xhr-polling//" + Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
        var frames = new List<string>();
        FrameParser.Parse(first, frames);
        sessionId = frames[0];
        await PostAsync("~m~13~m~__subscribe__~m~5~m~bench", cancellationToken).ConfigureAwait(false);
        polling = PollLoopAsync(stop.Token);
    }

    public ValueTask SendAsync(string text) => new(PostAsync("~m~" + text.Length.ToString(CultureInfo.InvariantCulture) + "~m~" + text, CancellationToken.None));

    private async Task PostAsync(string payload, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("data", payload)]);
        using var response = await http.PostAsync(new Uri(baseUri, "/socket.io/xhr-polling/" + sessionId + "/send"), content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private async Task PollLoopAsync(CancellationToken cancellationToken)
    {
        var frames = new List<string>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var body = await http.GetStringAsync(new Uri(baseUri, "/socket.io/xhr-polling/" + sessionId + "/" + Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
                WireCounters.OnPollAnswer();
                frames.Clear();
                FrameParser.Parse(body, frames);
                foreach (var frame in frames)
                {
                    onMessage(frame);
                }
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(polling, Task.Delay(2000)).ConfigureAwait(false);
        stop.Dispose();
    }
}
