using System.Net.WebSockets;
using System.Text;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>A raw RFC 6455 client of the websocket transport.</summary>
public sealed class WebSocketTestClient : SocketIoTestClient
{
    private readonly ClientWebSocket socket = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private Task? receiving;

    public WebSocketTestClient(Uri server, string transportName = "websocket") : base(server)
    {
        Transport = transportName;
    }

    public override string Transport { get; }

    /// <summary>The handshake options (headers such as Origin, cookies) before <c>ConnectAsync</c>.</summary>
    public ClientWebSocketOptions Options => socket.Options;

    /// <summary>The status of a refused handshake (with <c>Options.CollectHttpResponseDetails</c>).</summary>
    public System.Net.HttpStatusCode HttpStatusCode => socket.HttpStatusCode;

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? CloseStatusDescription => socket.CloseStatusDescription;

    protected override async Task OpenAsync(string? resumeSessionId)
    {
        var uri = new UriBuilder(Server) { Scheme = "ws", Path = $"/{Resource}/{Transport}" + (resumeSessionId is null ? string.Empty : "/" + resumeSessionId) }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        receiving = ReceiveLoopAsync();
    }

    /// <summary>Sends raw bytes as one text message (for malformed input tests).</summary>
    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        await sendLock.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, type, true, CancellationToken.None).DefaultTimeout();
        }
        finally
        {
            sendLock.Release();
        }
    }

    public override Task SendPayloadAsync(string payload) => SendRawAsync(Encoding.UTF8.GetBytes(payload));

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    OnClosed($"close frame {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    OnPayload(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception)
        {
            OnClosed("connection lost: " + exception.Message);
        }
    }

    public async Task CloseAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).DefaultTimeout();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            socket.Abort();
            if (receiving is not null)
            {
                await receiving.DefaultTimeout();
            }
        }
        finally
        {
            socket.Dispose();
        }
    }
}
