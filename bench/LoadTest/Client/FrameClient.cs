using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>
/// A WebSocket client that reads Socket.IO 0.6 frames (<c>~m~LEN~m~TEXT</c>, several per message allowed): for the
/// SocketIoChannels server (waits for the session id, subscribes with <c>__subscribe__</c>, echoes heartbeats) and
/// for the raw server (same frames, no handshake).
/// </summary>
internal sealed class FrameClient : IBenchClient
{
    private const string SubscribePayload = "~m~13~m~__subscribe__~m~5~m~bench";
    private readonly Connector connector;
    private readonly Uri uri;
    private readonly bool socketIo;
    private readonly Action<string> onMessage;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly List<string> frames = [];
    private readonly TaskCompletionSource<string> sessionId = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocket? socket;
    private Task receiving = Task.CompletedTask;

    public FrameClient(Connector connector, Uri uri, bool socketIo, Action<string> onMessage)
    {
        this.connector = connector;
        this.uri = uri;
        this.socketIo = socketIo;
        this.onMessage = onMessage;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        socket = await connector.ConnectWebSocketAsync(uri, cancellationToken).ConfigureAwait(false);
        receiving = ReceiveLoopAsync(socket);
        if (socketIo)
        {
            await sessionId.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            await SendRawAsync(SubscribePayload).ConfigureAwait(false);
        }
    }

    public ValueTask SendAsync(string text) => new(SendRawAsync("~m~" + text.Length.ToString(CultureInfo.InvariantCulture) + "~m~" + text));

    private async Task SendRawAsync(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        await sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await socket!.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(WebSocket webSocket)
    {
        var buffer = new byte[4096];
        try
        {
            while (webSocket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await webSocket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        sessionId.TrySetException(new IOException("closed before the session id"));
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                await OnPayloadAsync(Encoding.UTF8.GetString(buffer, 0, length)).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            sessionId.TrySetException(exception);
        }
    }

    private async Task OnPayloadAsync(string payload)
    {
        frames.Clear(); // one receive loop per client: the list is reused
        FrameParser.Parse(payload, frames);
        foreach (var text in frames)
        {
            if (socketIo && !sessionId.Task.IsCompleted)
            {
                sessionId.TrySetResult(text);
            }
            else if (text.StartsWith("~h~", StringComparison.Ordinal))
            {
                await SendRawAsync("~m~" + text.Length.ToString(CultureInfo.InvariantCulture) + "~m~" + text).ConfigureAwait(false);
            }
            else
            {
                onMessage(text);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (socket is { State: WebSocketState.Open })
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        socket?.Abort();
        socket?.Dispose();
        await Task.WhenAny(receiving, Task.Delay(2000)).ConfigureAwait(false);
    }
}
