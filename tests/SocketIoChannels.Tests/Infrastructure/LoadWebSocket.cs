using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// A lean websocket-transport client for load tests: thousands of them in one process. Its TCP socket closes with
/// SO_LINGER 0 (a reset, no TIME_WAIT), can spread over several 127.0.0.x source addresses, and can have a small
/// receive buffer so a client that stops reading reaches TCP back-pressure quickly.
/// </summary>
public sealed class LoadWebSocket : IAsyncDisposable
{
    private readonly ClientWebSocket socket;
    private readonly byte[] buffer = new byte[8 * 1024];
    private long marks;

    private LoadWebSocket(ClientWebSocket socket, string sessionId)
    {
        this.socket = socket;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    /// <summary>How many '#' characters arrived since <see cref="StartCounting"/> (one per load broadcast frame).</summary>
    public long Marks => Interlocked.Read(ref marks);

    public Task? Counting { get; private set; }

    /// <summary>A handler for <see cref="ClientWebSocket.ConnectAsync(Uri, HttpMessageInvoker, CancellationToken)"/> whose
    /// sockets close with a reset and optionally have a small receive buffer and rotating source addresses.</summary>
    public static HttpMessageInvoker CreateInvoker(int? receiveBufferSize = null, int sourceAddresses = 1)
    {
        var next = 0;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, LingerState = new LingerOption(true, 0) };
                try
                {
                    if (receiveBufferSize is { } size)
                    {
                        tcp.ReceiveBufferSize = size; // before connecting, so the advertised window stays small
                    }

                    if (sourceAddresses > 1)
                    {
                        // IP_BIND_ADDRESS_NO_PORT: pick the port at connect time, per destination, as an unbound socket would.
                        tcp.SetRawSocketOption(0, 24, BitConverter.GetBytes(1));
                        tcp.Bind(new IPEndPoint(IPAddress.Parse("127.0.0." + (2 + (Interlocked.Increment(ref next) & int.MaxValue) % sourceAddresses)), 0));
                    }

                    await tcp.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        return new HttpMessageInvoker(handler);
    }

    /// <summary>Opens a websocket-transport connection and reads the session id.</summary>
    public static async Task<LoadWebSocket> ConnectAsync(Uri server, HttpMessageInvoker invoker, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/socket.io/websocket" }.Uri, invoker, cancellationToken);
            var client = new LoadWebSocket(socket, string.Empty);
            var first = await client.ReceiveFramesAsync(cancellationToken) ?? throw new InvalidOperationException("the server closed before sending a session id");
            return new LoadWebSocket(socket, first[0].Text);
        }
        catch
        {
            socket.Abort();
            socket.Dispose();
            throw;
        }
    }

    public Task SendAsync(CancellationToken cancellationToken, params object?[] messages) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(FrameCodec.EncodePayload(messages)), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Reads one WebSocket message and decodes its frames; <see langword="null"/> when the server closed.</summary>
    internal async Task<List<InboundFrame>?> ReceiveFramesAsync(CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var frames = new List<InboundFrame>();
                FrameCodec.TryDecode(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), frames, out _);
                return frames;
            }
        }
    }

    /// <summary>Reads everything from now on, counting '#' characters, until the connection ends.</summary>
    public void StartCounting() => Counting = CountAsync();

    private async Task CountAsync()
    {
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Interlocked.Add(ref marks, buffer.AsSpan(0, result.Count).Count((byte)'#'));
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>A goodbye: the close handshake, then the socket is released.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
        while (await ReceiveFramesAsync(cancellationToken) is not null)
        {
        }
    }

    /// <summary>Vanishes: the TCP connection is reset, no close frame.</summary>
    public void Abort() => socket.Abort();

    public ValueTask DisposeAsync()
    {
        socket.Abort();
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
