using System.Net.WebSockets;
using System.Text;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>A raw Engine.IO 4 WebSocket client (docs/protocol-v5.md §1.3): one packet per message.</summary>
public sealed class EngineIoWebSocketClient : IAsyncDisposable
{
    private readonly Uri server;

    public EngineIoWebSocketClient(Uri server)
    {
        this.server = server;
    }

    public ClientWebSocket Socket { get; } = new();

    public JObject Handshake { get; private set; } = [];

    /// <summary>Opens the WebSocket (with <paramref name="sid"/>: the upgrade of that polling session).</summary>
    public Task OpenSocketAsync(string? sid = null)
    {
        var query = "EIO=4&transport=websocket" + (sid is null ? string.Empty : "&sid=" + Uri.EscapeDataString(sid));
        var uri = new UriBuilder(server) { Scheme = "ws", Path = "/socket.io/", Query = query }.Uri;
        return Socket.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
    }

    /// <summary>Opens a session of its own: returns the open packet's JSON.</summary>
    public async Task<JObject> OpenAsync()
    {
        await OpenSocketAsync();
        var open = await ReceiveTextAsync() ?? throw new InvalidOperationException("closed before the open packet");
        Assert.StartsWith("0{", open, StringComparison.Ordinal);
        Handshake = JObject.Parse(open[1..]);
        return Handshake;
    }

    /// <summary>Opens and connects to <c>/</c>: returns the socket id.</summary>
    public async Task<string> ConnectAsync()
    {
        await OpenAsync();
        await SendAsync("40");
        var answer = await ReceiveTextAsync() ?? throw new InvalidOperationException("closed before the CONNECT answer");
        Assert.StartsWith("40{", answer, StringComparison.Ordinal);
        return (string)JObject.Parse(answer[2..])["sid"]!;
    }

    public Task SendAsync(string packet) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(packet), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

    public Task SendBinaryAsync(byte[] bytes) =>
        Socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();

    /// <summary>The next message: its type and bytes; <see cref="WebSocketMessageType.Close"/> when the server closed.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).DefaultTimeout();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return (result.MessageType, buffer[..length]);
            }
        }
    }

    /// <summary>The next text message (a binary one fails the test); <c>null</c> when the server closed.</summary>
    public async Task<string?> ReceiveTextAsync()
    {
        var (type, bytes) = await ReceiveAsync();
        if (type == WebSocketMessageType.Close)
        {
            return null;
        }

        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Receives text packets, answering pings, until one other than a ping or noop; <c>null</c> on close.</summary>
    public async Task<string?> ReceivePacketAsync()
    {
        while (true)
        {
            var text = await ReceiveTextAsync();
            if (text == "2")
            {
                await SendAsync("3");
            }
            else if (text != "6")
            {
                return text;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception exception) when (exception is WebSocketException or TimeoutException or OperationCanceledException)
            {
            }
        }

        Socket.Dispose();
    }
}
