using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>
/// Frames a connection took off the session's queue but did not finish writing go back to the front of the queue:
/// a poll aborted in the middle of its response, a WebSocket that dies in the middle of a send (with
/// <see cref="SocketIoOptions.WebSocketCloseTimeout"/> set, so the session waits to be resumed). Numbered messages
/// flow while connections are cut off in the middle of a large message, round after round; the client, reading on
/// with new polls or a resumed connection, sees every number in increasing order (a number it saw in a response that
/// was cut off may come again, never out of order).
/// </summary>
public sealed class NothingLostTests
{
    // Far more than the loopback socket buffers of a connection that has not read yet (tcp_wmem max 4 MB; the
    // receive buffer grows only as the client reads), so the server's write is still in flight at the cut.
    private const int LargeLength = 16 * 1024 * 1024;
    private const int Rounds = 3;
    private static readonly string Padding = new('x', LargeLength);

    [Fact]
    public async Task PollsCutOffInTheMiddleOfTheirResponseLoseNothing()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), options =>
        {
            options.PollDuration = TimeSpan.FromSeconds(1);
            options.PollingCloseTimeout = TimeSpan.FromSeconds(30);
        });
        var order = new NumberOrder();
        var (id, _) = await PollAsync(app, string.Empty);
        var number = 0;
        for (var round = 0; round < Rounds; round++)
        {
            SendRound(app, id, ref number);

            // A poll that takes the round's frames and is cut off after the first bytes of its body.
            await using (var cut = await RawHttpConnection.OpenAsync(app.Address))
            {
                await cut.WriteAsync(PollRequest(cut, app.Address, id));
                var head = await cut.ReadHeadAsync();
                Assert.Equal(200, head.StatusCode);
                await cut.ReadExactlyAsync(1024);
                cut.Drop();
            }

            // New polls read on until the round's last number.
            var polls = 0;
            while (order.Next <= number)
            {
                Assert.True(++polls <= 10, $"10 polls after the cut, {order.Next} to {number} never came: lost");
                var (_, frames) = await PollAsync(app, id);
                order.Connection();
                foreach (var frame in frames)
                {
                    order.Saw(frame);
                }
            }
        }

        Assert.Equal(number + 1, order.Next);
    }

    [Fact]
    public async Task WebSocketsCutOffInTheMiddleOfASendLoseNothingForTheResumedConnection()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), options =>
        {
            options.WebSocketCloseTimeout = TimeSpan.FromSeconds(30);
            options.HeartbeatInterval = TimeSpan.FromSeconds(60);
        });
        try
        {
            var order = new NumberOrder();
            string? id = null;
            var number = 0;
            for (var round = 0; round < Rounds; round++)
            {
                // A fresh connection (its receive buffer still small) is cut off after the first bytes of the large message.
                using (var cut = new ClientWebSocket())
                {
                    id = await ConnectAsync(app.Address, cut, id);
                    order.Connection();
                    SendRound(app, id, ref number);
                    var buffer = new byte[64 * 1024];
                    var message = new MemoryStream();
                    while (true)
                    {
                        var result = await cut.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
                        message.Write(buffer, 0, result.Count);
                        if (!result.EndOfMessage && message.Length > 1024)
                        {
                            break; // in the middle of the large message: cut off
                        }

                        if (result.EndOfMessage)
                        {
                            foreach (var frame in Frames(Encoding.UTF8.GetString(message.ToArray())))
                            {
                                order.Saw(frame);
                            }

                            message.SetLength(0);
                        }
                    }

                    cut.Abort();
                }

                // The session is resumed by a new connection, which reads on until the round's last number.
                using var resumed = new ClientWebSocket();
                await ConnectAsync(app.Address, resumed, id);
                order.Connection();
                while (order.Next <= number)
                {
                    foreach (var frame in Frames(await ReceiveMessageAsync(resumed)))
                    {
                        order.Saw(frame);
                    }
                }

                await resumed.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None).DefaultTimeout();
            }

            Assert.Equal(number + 1, order.Next);
        }
        catch (Exception exception)
        {
            // A rare failure under load (a connection reset, a receive that times out) is read from the server's log.
            throw new InvalidOperationException("The server's log:" + Environment.NewLine + string.Join(Environment.NewLine, app.Logs.LinesSince(0)), exception);
        }
    }

    /// <summary>Queues a small message, a large one and a small one, numbered on from <paramref name="number"/>.</summary>
    private static void SendRound(TestApp app, string id, ref int number)
    {
        app.Broadcaster.Send(id, (++number).ToString(CultureInfo.InvariantCulture) + ":small");
        app.Broadcaster.Send(id, (++number).ToString(CultureInfo.InvariantCulture) + ":" + Padding);
        app.Broadcaster.Send(id, (++number).ToString(CultureInfo.InvariantCulture) + ":small");
    }

    private static string PollRequest(RawHttpConnection connection, Uri address, string id) =>
        $"GET /socket.io/xhr-polling/{id}/{Environment.TickCount64} HTTP/1.1\r\nHost: {connection.HostHeader(address)}\r\n\r\n";

    /// <summary>One whole poll on a connection of its own: the session id (from the first frame of a new session)
    /// and the frames.</summary>
    private static async Task<(string Id, List<string> Frames)> PollAsync(TestApp app, string id)
    {
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);
        await connection.WriteAsync(PollRequest(connection, app.Address, id));
        var head = await connection.ReadHeadAsync();
        Assert.Equal(200, head.StatusCode);
        var frames = Frames(await connection.ReadBodyAsync(head));
        return id.Length > 0 ? (id, frames) : (frames[0], frames.Skip(1).ToList());
    }

    private static async Task<string> ConnectAsync(Uri address, ClientWebSocket client, string? id)
    {
        var uri = new UriBuilder(address) { Scheme = "ws", Path = "/socket.io/websocket/" + id }.Uri;
        await client.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
        if (id is not null)
        {
            return id;
        }

        var first = Frames(await ReceiveMessageAsync(client));
        return first[0];
    }

    private static async Task<string> ReceiveMessageAsync(ClientWebSocket client)
    {
        var buffer = new byte[1024 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    /// <summary>The data of each 0.6 frame (<c>~m~length~m~data</c>) of a payload.</summary>
    private static List<string> Frames(string payload)
    {
        var frames = new List<string>();
        var at = 0;
        while (at < payload.Length)
        {
            Assert.Equal("~m~", payload.Substring(at, 3));
            var lengthEnd = payload.IndexOf("~m~", at + 3, StringComparison.Ordinal);
            var length = int.Parse(payload.AsSpan(at + 3, lengthEnd - at - 3), CultureInfo.InvariantCulture);
            frames.Add(payload.Substring(lengthEnd + 3, length));
            at = lengthEnd + 3 + length;
        }

        return frames;
    }

    /// <summary>Checks the numbers a client sees: increasing on each connection; never ahead of the first number
    /// not seen yet (nothing skipped); a number seen before may come again on a later connection.</summary>
    private sealed class NumberOrder
    {
        private int last;

        /// <summary>The first number not seen yet.</summary>
        public int Next { get; private set; } = 1;

        public void Connection() => last = 0;

        public void Saw(string frame)
        {
            if (frame.StartsWith("~h~", StringComparison.Ordinal))
            {
                return;
            }

            var n = int.Parse(frame.AsSpan(0, frame.IndexOf(':', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            Assert.True(n > last, $"{n} came after {last} on the same connection");
            Assert.True(n <= Next, $"{n} came while {Next} was never seen: lost");
            last = n;
            if (n == Next)
            {
                Next++;
            }
        }
    }
}
