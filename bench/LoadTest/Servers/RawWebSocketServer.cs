using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>
/// The floor for .NET: Kestrel WebSockets with nothing on top. A broadcast encodes the 0.6 frame once and queues
/// the same bytes for every socket; each socket's one writer sends one WebSocket message per delivery. Echo
/// sends back what came in. No heartbeats, no sessions, no channels.
/// </summary>
internal sealed class RawWebSocketServer : IFanoutTarget
{
    private readonly object gate = new();
    private RawConnection[] connections = [];

    public int Subscribers => Volatile.Read(ref connections).Length;

    public ValueTask BroadcastAsync(string payload)
    {
        var frame = Encoding.UTF8.GetBytes("~m~" + payload.Length + "~m~" + payload);
        foreach (var connection in Volatile.Read(ref connections))
        {
            connection.Queue.Writer.TryWrite(frame);
        }

        return ValueTask.CompletedTask;
    }

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new RawConnection(socket);
        lock (gate)
        {
            connections = [.. connections, connection];
        }

        var sending = SendLoopAsync(connection);
        try
        {
            await ReceiveLoopAsync(connection);
        }
        finally
        {
            lock (gate)
            {
                connections = Array.FindAll(connections, c => !ReferenceEquals(c, connection));
            }

            connection.Queue.Writer.TryComplete();
            await sending;
        }
    }

    private static async Task SendLoopAsync(RawConnection connection)
    {
        try
        {
            while (await connection.Queue.Reader.WaitToReadAsync())
            {
                while (connection.Queue.Reader.TryRead(out var frame))
                {
                    await connection.Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private static async Task ReceiveLoopAsync(RawConnection connection)
    {
        var socket = connection.Socket;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    var length = 0;
                    var end = first.EndOfMessage;
                    while (!end)
                    {
                        var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            return;
                        }

                        length += result.Count;
                        end = result.EndOfMessage;
                    }

                    connection.Queue.Writer.TryWrite(buffer.AsSpan(0, length).ToArray());
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private sealed class RawConnection(WebSocket socket)
    {
        public WebSocket Socket { get; } = socket;

        public Channel<byte[]> Queue { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    }
}
