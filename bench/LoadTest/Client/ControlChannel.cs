using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>The bench-only control surface of a server: commands and acknowledgements over <c>/bench/control</c>,
/// statistics from <c>/bench/stats</c>.</summary>
internal sealed class ControlChannel : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly Channel<string> outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HttpClient http;
    private readonly Uri baseUri;
    private Task sending = Task.CompletedTask;

    public ControlChannel(HttpClient http, Uri baseUri)
    {
        this.http = http;
        this.baseUri = baseUri;
    }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await socket.ConnectAsync(new Uri("ws://" + baseUri.Authority + "/bench/control"), cancellationToken).ConfigureAwait(false);
        sending = SendLoopAsync();
    }

    public void Send(string command) => outgoing.Writer.TryWrite(command);

    public async Task<ServerStats> StatsAsync(bool collect, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(new Uri(baseUri, collect ? "/bench/stats?gc=1" : "/bench/stats"), cancellationToken).ConfigureAwait(false);
        var parts = text.Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new ServerStats((int)parts[0], parts[1], parts[2], parts[3], parts[4], parts.Length > 6 ? parts[5] : -1, parts.Length > 6 ? parts[6] : -1);
    }

    public async Task WaitForSubscribersAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stats = await StatsAsync(false, cancellationToken).ConfigureAwait(false);
            if (stats.Subscribers >= count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the server has {stats.Subscribers} subscribers, expected {count}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync()
    {
        var builder = new StringBuilder();
        while (await outgoing.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            builder.Clear();
            while (builder.Length < 200 && outgoing.Reader.TryRead(out var command))
            {
                builder.Append(command).Append('\n');
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes(builder.ToString()), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        outgoing.Writer.TryComplete();
        await sending.ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }

        socket.Dispose();
    }
}
