using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>
/// A connection that the server closes while its send loop is in the middle of writing a large message: the
/// message in flight is allowed to finish and the close frame follows it, instead of the socket being aborted
/// (a client would see 1006 and lose the message). A client that does not read is still cut off, after the
/// close-handshake timeout, whether the close comes from a protocol error or from the session's end. The close
/// timeout runs on the app's <see cref="TimeProvider"/>, here a fake clock that only the tests move: what happens
/// just before and at the timeout is checked exactly, whatever the load on the machine.
/// </summary>
public sealed class CloseDuringSendTests : IAsyncLifetime
{
    // Far more than the loopback socket buffers hold while the client does not read, so the server's send is
    // still in progress when the close is decided.
    private const int LargeMessageLength = 16 * 1024 * 1024;
    private static readonly string LargeMessage = new('x', LargeMessageLength);
    private static readonly string LargeFrame = Frame(LargeMessage);
    private static readonly string DisconnectFrame = Frame("~j~{\"action\":\"disconnect\"}");

    // The close-handshake timeout.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan JustBefore = CloseTimeout - TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider clock = new();
    private TestApp app = null!;

    private EventRecorder Events => app.Services.GetRequiredService<EventRecorder>();

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(handlers => handlers.AddEventHandler<TestHandlers>(), options =>
        {
            options.MaxMessageSize = 4096;
            options.HeartbeatInterval = TimeSpan.FromSeconds(60); // no heartbeat in the way of the frames asserted
        }, services: services => services.AddSingleton<TimeProvider>(clock));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AMessageOverTheLimitDuringALargeSendGetsTheLargeMessageAnd1009()
    {
        using var client = new ClientWebSocket();
        var id = await ConnectAsync(client);
        await StartLargeSendAsync(id);

        await client.SendAsync(new byte[5000], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).DefaultTimeout();
        await WaitForLogAsync($"Closing the WebSocket of session {id} with 1009");
        await Task.Delay(300); // before the fix, the send in flight was cancelled (and the socket aborted) by now

        var (messages, closeStatus) = await ReadToCloseAsync(client);

        Assert.Equal([LargeFrame], messages);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, closeStatus);
    }

    [Fact]
    public async Task ADisconnectByTheHandlerDuringALargeSendGetsTheLargeMessageAndTheNormalClose()
    {
        using var client = new ClientWebSocket();
        var id = await ConnectAsync(client);
        await StartLargeSendAsync(id);

        await client.SendAsync(Encoding.UTF8.GetBytes(Frame("~j~{\"action\":\"disconnect\"}")), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).DefaultTimeout();
        await Events.WaitForAsync(id, e => e.Contains("disconnect"));
        await Task.Delay(300);

        var (messages, closeStatus) = await ReadToCloseAsync(client);

        Assert.Equal([LargeFrame], messages);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closeStatus);
    }

    [Fact]
    public async Task AClientThatStopsReadingDuringAProtocolErrorCloseIsCutOffAfterTheCloseTimeout()
    {
        using var client = new ClientWebSocket();
        var id = await ConnectAsync(client);
        await StartLargeSendAsync(id);

        await client.SendAsync(new byte[5000], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).DefaultTimeout();
        await WaitForLogAsync($"Closing the WebSocket of session {id} with 1009");

        // The client never reads again: the send in flight cannot finish, so the server gives up on it at the
        // close-handshake timeout, not before, and the session ends.
        await AssertCutOffAtTheCloseTimeoutAsync($"Session {id} did not finish the close of its WebSocket within 5 s");
        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ABadHixieFrameDuringALargeSendGetsTheLargeFrameAndTheCloseFrame()
    {
        using var tcp = new TcpClient();
        var (stream, id) = await ConnectHixieAsync(tcp);
        var reader = new HixieReader(stream);
        await StartLargeSendAsync(id);

        await stream.WriteAsync(new byte[] { 0x80, 0x01 }).AsTask().DefaultTimeout(); // not a frame type of hixie
        await WaitForLogAsync($"Closing the hixie WebSocket of session {id}");
        await Task.Delay(300);

        var frames = new List<string>();
        while (await reader.ReadFrameAsync().DefaultTimeout() is { } frame)
        {
            frames.Add(frame);
        }

        Assert.Equal([LargeFrame], frames);
        Assert.True(reader.CloseFrameReceived, "the connection ended without the close frame 0xFF 0x00");
    }

    [Fact]
    public async Task AHixieClientThatStopsReadingDuringAProtocolErrorCloseIsCutOffAfterTheCloseTimeout()
    {
        using var tcp = new TcpClient();
        var (stream, id) = await ConnectHixieAsync(tcp);
        await StartLargeSendAsync(id);

        await stream.WriteAsync(new byte[] { 0x80, 0x01 }).AsTask().DefaultTimeout();
        await WaitForLogAsync($"Closing the hixie WebSocket of session {id}");

        await AssertCutOffAtTheCloseTimeoutAsync($"Session {id} did not finish the close of its hixie WebSocket within 5 s");
        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AClientThatStopsReadingWhenTheHandlerDisconnectsIsCutOffAfterTheCloseTimeout()
    {
        using var client = new ClientWebSocket();
        var id = await ConnectAsync(client);
        await StartLargeSendAsync(id);

        await client.SendAsync(Encoding.UTF8.GetBytes(DisconnectFrame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).DefaultTimeout();

        // The session ends at once (its teardown does not wait for the connection); the connection is given the
        // close-handshake timeout to deliver the message and the close, then cut off.
        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        var cutOff = $"Session {id} did not finish the close of its WebSocket within 5 s";
        await AssertCutOffAtTheCloseTimeoutAsync(cutOff);
        Assert.Single(app.Logs.Entries, e => e.EventId.Id == 105 && e.Message.StartsWith(cutOff, StringComparison.Ordinal));

        // Reading again, the client gets what the sockets' buffers held, then the connection ends: no whole
        // message, no close frame.
        var (messages, closeStatus, broken) = await ReadToEndAsync(client);
        Assert.True(broken, "the connection was not cut off");
        Assert.Empty(messages);
        Assert.Null(closeStatus);
    }

    [Fact]
    public async Task AClientThatResumesReadingWithinTheCloseTimeoutAfterAHandlerDisconnectGetsTheLargeMessageAndTheNormalClose()
    {
        using var client = new ClientWebSocket();
        var id = await ConnectAsync(client);
        await StartLargeSendAsync(id);

        await client.SendAsync(Encoding.UTF8.GetBytes(DisconnectFrame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).DefaultTimeout();
        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        clock.Advance(CloseTimeout / 2); // half the close-handshake timeout without reading

        var (messages, closeStatus) = await ReadToCloseAsync(client);

        Assert.Equal([LargeFrame], messages);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closeStatus);
        Assert.DoesNotContain(app.Logs.Entries, e => e.EventId.Id == 105 && e.Message.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHixieClientThatStopsReadingWhenTheHandlerDisconnectsIsCutOffAfterTheCloseTimeout()
    {
        using var tcp = new TcpClient();
        var (stream, id) = await ConnectHixieAsync(tcp);
        var reader = new HixieReader(stream);
        await StartLargeSendAsync(id);

        await stream.WriteAsync(HixieFrame(DisconnectFrame)).AsTask().DefaultTimeout();

        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        var cutOff = $"Session {id} did not finish the close of its hixie WebSocket within 5 s";
        await AssertCutOffAtTheCloseTimeoutAsync(cutOff);
        Assert.Single(app.Logs.Entries, e => e.EventId.Id == 105 && e.Message.StartsWith(cutOff, StringComparison.Ordinal));

        var frames = new List<string>();
        while (await reader.ReadFrameAsync().DefaultTimeout() is { } frame)
        {
            frames.Add(frame);
        }

        Assert.Empty(frames);
        Assert.False(reader.CloseFrameReceived, "the close frame came after a frame that was cut off");
    }

    [Fact]
    public async Task AHixieClientThatResumesReadingWithinTheCloseTimeoutAfterAHandlerDisconnectGetsTheLargeFrameAndTheCloseFrame()
    {
        using var tcp = new TcpClient();
        var (stream, id) = await ConnectHixieAsync(tcp);
        var reader = new HixieReader(stream);
        await StartLargeSendAsync(id);

        await stream.WriteAsync(HixieFrame(DisconnectFrame)).AsTask().DefaultTimeout();
        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        clock.Advance(CloseTimeout / 2);

        var frames = new List<string>();
        while (await reader.ReadFrameAsync().DefaultTimeout() is { } frame)
        {
            frames.Add(frame);
        }

        Assert.Equal([LargeFrame], frames);
        Assert.True(reader.CloseFrameReceived, "the connection ended without the close frame 0xFF 0x00");
        Assert.DoesNotContain(app.Logs.Entries, e => e.EventId.Id == 105 && e.Message.Contains(id, StringComparison.Ordinal));
    }

    private static string Frame(string text) => "~m~" + text.Length + "~m~" + text;

    private static byte[] HixieFrame(string text) => [0x00, .. Encoding.UTF8.GetBytes(text), 0xFF];

    private Task<string> ConnectAsync(ClientWebSocket client) => ConnectAsync(app.Address, client);

    private Task<(NetworkStream Stream, string Id)> ConnectHixieAsync(TcpClient tcp) => ConnectHixieAsync(app.Address, tcp);

    /// <summary>An RFC 6455 connection on the websocket URL, read up to the session id frame.</summary>
    internal static async Task<string> ConnectAsync(Uri address, ClientWebSocket client)
    {
        var uri = new UriBuilder(address) { Scheme = "ws", Path = "/socket.io/websocket" }.Uri;
        await client.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
        var buffer = new byte[256];
        var result = await client.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
        var first = Encoding.UTF8.GetString(buffer, 0, result.Count);
        return first[(first.LastIndexOf('~') + 1)..];
    }

    /// <summary>A hixie-75 connection on the flashsocket URL, read up to and including the session id frame (byte
    /// by byte, so nothing after it is consumed).</summary>
    internal static async Task<(NetworkStream Stream, string Id)> ConnectHixieAsync(Uri address, TcpClient tcp)
    {
        await tcp.ConnectAsync(address.Host, address.Port).DefaultTimeout();
        var stream = tcp.GetStream();
        var host = address.Host + ":" + address.Port;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /socket.io/flashsocket HTTP/1.1\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nHost: {host}\r\nOrigin: http://{host}\r\n\r\n")).AsTask().DefaultTimeout();
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one).AsTask().DefaultTimeout());
            head.Append((char)one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        var frame = new List<byte>();
        while (true)
        {
            Assert.Equal(1, await stream.ReadAsync(one).AsTask().DefaultTimeout());
            if (one[0] == 0xFF)
            {
                break;
            }

            frame.Add(one[0]);
        }

        var first = Encoding.UTF8.GetString([.. frame.Skip(1)]);
        return (stream, first[(first.LastIndexOf('~') + 1)..]);
    }

    private async Task StartLargeSendAsync(string id)
    {
        app.Broadcaster.Send(id, LargeMessage);
        await Task.Delay(200); // the send loop is now blocked in the write: the client does not read
    }

    /// <summary>Moves the clock to just before the close timeout (no cut-off yet, however long the machine takes),
    /// then to it: the cut-off follows.</summary>
    private async Task AssertCutOffAtTheCloseTimeoutAsync(string log)
    {
        clock.Advance(JustBefore);
        await Task.Delay(300);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.StartsWith(log, StringComparison.Ordinal));
        clock.Advance(CloseTimeout - JustBefore);
        await WaitForLogAsync(log);
    }

    private async Task WaitForLogAsync(string start) =>
        await Eventually.TrueAsync(() => Task.FromResult(app.Logs.Entries.Any(e => e.Message.StartsWith(start, StringComparison.Ordinal))), "log: " + start);

    private static async Task<(List<string> Messages, WebSocketCloseStatus? CloseStatus)> ReadToCloseAsync(ClientWebSocket client)
    {
        var messages = new List<string>();
        var buffer = new byte[1024 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await client.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None).DefaultTimeout();
                    return (messages, client.CloseStatus);
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    messages.Add(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException exception)
        {
            Assert.Fail($"The connection broke instead of closing ({exception.WebSocketErrorCode}: {exception.Message}) after {messages.Count} whole messages and {message.Length} bytes of the next.");
            throw;
        }
    }

    /// <summary>Reads until the close frame or until the connection breaks (a cut-off).</summary>
    private static async Task<(List<string> Messages, WebSocketCloseStatus? CloseStatus, bool Broken)> ReadToEndAsync(ClientWebSocket client)
    {
        var messages = new List<string>();
        var buffer = new byte[1024 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await client.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (messages, client.CloseStatus, false);
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    messages.Add(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException)
        {
            return (messages, null, true);
        }
    }

    /// <summary>Reads a hixie connection: the 101 head, then <c>0x00</c> text <c>0xFF</c> frames until the close
    /// frame or the end of the stream.</summary>
    private sealed class HixieReader(Stream stream)
    {
        private readonly byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        public bool CloseFrameReceived { get; private set; }

        /// <summary>The next text frame, or <see langword="null"/> at the close frame or the end of the
        /// stream.</summary>
        public async Task<string?> ReadFrameAsync()
        {
            var type = await ReadByteAsync();
            if (type == 0xFF && await ReadByteAsync() == 0x00)
            {
                CloseFrameReceived = true;
                return null;
            }

            if (type != 0x00)
            {
                return null;
            }

            using var frame = new MemoryStream();
            while (true)
            {
                if (start == end && !await FillAsync())
                {
                    return null; // cut off in the middle of a frame
                }

                var stop = Array.IndexOf(buffer, (byte)0xFF, start, end - start);
                if (stop >= 0)
                {
                    frame.Write(buffer, start, stop - start);
                    start = stop + 1;
                    return Encoding.UTF8.GetString(frame.GetBuffer(), 0, (int)frame.Length);
                }

                frame.Write(buffer, start, end - start);
                start = end;
            }
        }

        private async Task<int> ReadByteAsync()
        {
            if (start == end && !await FillAsync())
            {
                return -1;
            }

            return buffer[start++];
        }

        private async Task<bool> FillAsync()
        {
            try
            {
                end = await stream.ReadAsync(buffer);
            }
            catch (IOException)
            {
                end = 0;
            }

            start = 0;
            return end > 0;
        }
    }
}
