using System.Text;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>
/// A raw Engine.IO 4 / Socket.IO 5 client on the polling transport, never upgrading: GET
/// <c>/socket.io/?EIO=4&amp;transport=polling</c> for the open packet, POST <c>40</c> (connect to the main
/// namespace), then one long poll after another on <c>&amp;sid=…</c>; packets in a body are separated by U+001E.
/// Pings are answered with a POSTed pong; at most one POST is in flight, as Engine.IO requires. With
/// <c>subscribe</c> it emits <c>subscribe("bench")</c> after the connect (SocketIoChannels).
/// </summary>
internal sealed class EngineIoPollingClient : IBenchClient
{
    private readonly HttpClient http;
    private readonly Uri handshakeUri;
    private readonly bool subscribe;
    private readonly Action<string> onMessage;
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim postLock = new(1, 1);
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri sessionUri = null!;
    private Task polling = Task.CompletedTask;

    public EngineIoPollingClient(HttpClient http, Uri server, bool subscribe, Action<string> onMessage)
    {
        this.http = http;
        handshakeUri = new Uri(server, "/socket.io/?EIO=4&transport=polling");
        this.subscribe = subscribe;
        this.onMessage = onMessage;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var open = await http.GetStringAsync(handshakeUri, cancellationToken).ConfigureAwait(false);
        var first = open.Split(V5Packet.RecordSeparator)[0];
        if (V5Packet.Decode(first, out var sid) != V5Kind.Open)
        {
            throw new IOException("no Engine.IO open packet: " + first[..Math.Min(first.Length, 80)]);
        }

        sessionUri = new Uri(handshakeUri + "&sid=" + Uri.EscapeDataString(sid!));
        await PostAsync(V5Packet.Connect, cancellationToken).ConfigureAwait(false);
        polling = PollLoopAsync(stop.Token);
        await connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (subscribe)
        {
            await PostAsync(V5Packet.Event("subscribe", "bench"), cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask SendAsync(string text) => new(PostAsync(V5Packet.Event("message", text), CancellationToken.None));

    private async Task PostAsync(string body, CancellationToken cancellationToken)
    {
        await postLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "text/plain");
            using var response = await http.PostAsync(sessionUri, content, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
        finally
        {
            postLock.Release();
        }
    }

    private async Task PollLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var body = await http.GetStringAsync(sessionUri, cancellationToken).ConfigureAwait(false);
                WireCounters.OnPollAnswer();
                var position = 0;
                while (position < body.Length)
                {
                    var end = body.IndexOf(V5Packet.RecordSeparator, position);
                    if (end < 0)
                    {
                        end = body.Length;
                    }

                    if (!await OnPacketAsync(body[position..end], cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    position = end + 1;
                }
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            connected.TrySetException(exception);
        }
    }

    /// <summary>Handles one packet; false when the session ended.</summary>
    private async Task<bool> OnPacketAsync(string packet, CancellationToken cancellationToken)
    {
        switch (V5Packet.Decode(packet, out var value))
        {
            case V5Kind.Ping:
                await PostAsync(V5Packet.Pong, cancellationToken).ConfigureAwait(false);
                break;
            case V5Kind.Connected:
                connected.TrySetResult();
                break;
            case V5Kind.ConnectError:
                connected.TrySetException(new IOException("Socket.IO connect refused: " + value));
                return false;
            case V5Kind.Message:
                onMessage(value!);
                break;
            case V5Kind.Closed:
                connected.TrySetException(new IOException("the server closed the session before the Socket.IO connect"));
                return false;
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (connected.Task.IsCompletedSuccessfully)
        {
            try
            {
                // Engine.IO close: the server ends the session now, not after its ping timeout.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await PostAsync("1", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
            {
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(polling, Task.Delay(2000)).ConfigureAwait(false);
        stop.Dispose();
    }
}
