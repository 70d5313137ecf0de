using System.Net.WebSockets;
using System.Text;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>
/// A raw Engine.IO 4 / Socket.IO 5 client on the websocket transport (no polling first):
/// <c>/socket.io/?EIO=4&amp;transport=websocket</c>, waits for the open packet, connects to the main namespace
/// (<c>40</c>), answers every ping with a pong, decodes <c>42["message", text]</c>. With <c>subscribe</c> it then
/// emits <c>subscribe("bench")</c> (SocketIoChannels); node48 puts every socket in the room on connect.
/// </summary>
internal sealed class EngineIoWebSocketClient : IBenchClient
{
    private readonly Connector connector;
    private readonly Uri uri;
    private readonly bool subscribe;
    private readonly Action<string> onMessage;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocket? socket;
    private Task receiving = Task.CompletedTask;

    public EngineIoWebSocketClient(Connector connector, Uri server, bool subscribe, Action<string> onMessage)
    {
        this.connector = connector;
        uri = new Uri("ws://" + server.Authority + "/socket.io/?EIO=4&transport=websocket");
        this.subscribe = subscribe;
        this.onMessage = onMessage;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        socket = await connector.ConnectWebSocketAsync(uri, cancellationToken).ConfigureAwait(false);
        receiving = ReceiveLoopAsync(socket);
        await connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (subscribe)
        {
            await SendRawAsync(V5Packet.Event("subscribe", "bench")).ConfigureAwait(false);
        }
    }

    public ValueTask SendAsync(string text) => new(SendRawAsync(V5Packet.Event("message", text)));

    private async Task SendRawAsync(string packet)
    {
        var bytes = Encoding.UTF8.GetBytes(packet);
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
                        connected.TrySetException(new IOException("the server closed the WebSocket before the Socket.IO connect"));
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    await OnPacketAsync(Encoding.UTF8.GetString(buffer, 0, length)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            connected.TrySetException(exception);
        }
    }

    private async Task OnPacketAsync(string packet)
    {
        switch (V5Packet.Decode(packet, out var value))
        {
            case V5Kind.Open:
                await SendRawAsync(V5Packet.Connect).ConfigureAwait(false);
                break;
            case V5Kind.Ping:
                await SendRawAsync(V5Packet.Pong).ConfigureAwait(false);
                break;
            case V5Kind.Connected:
                connected.TrySetResult();
                break;
            case V5Kind.ConnectError:
                connected.TrySetException(new IOException("Socket.IO connect refused: " + value));
                break;
            case V5Kind.Message:
                onMessage(value!);
                break;
            case V5Kind.Closed:
                connected.TrySetException(new IOException("the server closed the session before the Socket.IO connect"));
                break;
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
