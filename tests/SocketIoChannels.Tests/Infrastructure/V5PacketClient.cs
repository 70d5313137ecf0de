using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// A raw Engine.IO 4 WebSocket client that speaks Socket.IO 5 packets by hand, for server-side tests of events, acks,
/// binary and namespaces (the real socket.io-client suites are elsewhere). It answers pings, and collects every
/// Socket.IO packet it receives, a binary packet together with its attachments.
/// </summary>
public sealed class V5PacketClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly Channel<V5Packet> packets = Channel.CreateUnbounded<V5Packet>();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> seen = new();
    private readonly List<V5Packet> backlog = []; // received, not yet asked for (one test thread reads)
    private Task? receiving;

    public string EngineSid { get; private set; } = string.Empty;

    public static async Task<V5PacketClient> OpenAsync(Uri server)
    {
        var client = new V5PacketClient();
        var uri = new UriBuilder(server) { Scheme = "ws", Path = "/socket.io/", Query = "EIO=4&transport=websocket" }.Uri;
        await client.socket.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
        var open = await client.ReceiveMessageAsync().DefaultTimeout();
        Assert.StartsWith("0{", open.Text, StringComparison.Ordinal);
        client.EngineSid = (string)JObject.Parse(open.Text![1..])["sid"]!;
        client.receiving = client.ReceiveLoopAsync();
        return client;
    }

    /// <summary>Sends CONNECT to <paramref name="nsp"/> (with <paramref name="auth"/>) and returns the answer: the
    /// socket id from <c>40{"sid":…}</c>, or throws with the CONNECT_ERROR.</summary>
    public async Task<string> ConnectAsync(string nsp = "/", JObject? auth = null)
    {
        await SendTextAsync("0" + Prefix(nsp) + auth?.ToString(Newtonsoft.Json.Formatting.None));
        var answer = await ReceiveAsync(p => p.Namespace == nsp && p.Type is 0 or 4);
        return answer.Type == 0
            ? (string)answer.Data!["sid"]!
            : throw new InvalidOperationException("CONNECT_ERROR " + answer.Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    /// <summary>Sends CONNECT and returns the raw answer packet (CONNECT or CONNECT_ERROR).</summary>
    public async Task<V5Packet> ConnectRawAsync(string nsp = "/", JObject? auth = null)
    {
        await SendTextAsync("0" + Prefix(nsp) + auth?.ToString(Newtonsoft.Json.Formatting.None));
        return await ReceiveAsync(p => p.Namespace == nsp && p.Type is 0 or 4);
    }

    /// <summary>Sends an EVENT (or BINARY_EVENT when an argument is <c>byte[]</c>) with an optional ack id.</summary>
    public async Task EmitAsync(string nsp, string eventName, long? ackId, params object?[] args)
    {
        var data = new JArray(eventName);
        var attachments = new List<byte[]>();
        foreach (var arg in args)
        {
            if (arg is byte[] bytes)
            {
                data.Add(new JObject { ["_placeholder"] = true, ["num"] = attachments.Count });
                attachments.Add(bytes);
            }
            else
            {
                data.Add(arg is null ? JValue.CreateNull() : JToken.FromObject(arg));
            }
        }

        var head = attachments.Count > 0 ? "5" + attachments.Count + "-" : "2";
        await SendTextAsync(head + Prefix(nsp) + ackId + data.ToString(Newtonsoft.Json.Formatting.None));
        foreach (var attachment in attachments)
        {
            await SendBinaryAsync(attachment);
        }
    }

    /// <summary>Answers a server's ack id with ACK.</summary>
    public Task AckAsync(string nsp, long ackId, JArray args) =>
        SendTextAsync("3" + Prefix(nsp) + ackId + args.ToString(Newtonsoft.Json.Formatting.None));

    /// <summary>Sends one Socket.IO packet's text (without the Engine.IO message type, which is added).</summary>
    public async Task SendTextAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes("4" + text), WebSocketMessageType.Text);

    public async Task SendBinaryAsync(byte[] bytes) => await SendAsync(bytes, WebSocketMessageType.Binary);

    /// <summary>The first Socket.IO packet that matches <paramref name="match"/>; the others stay for later calls
    /// (sockets of several namespaces answer in any order relative to each other).</summary>
    public async Task<V5Packet> ReceiveAsync(Func<V5Packet, bool>? match = null, TimeSpan? timeout = null)
    {
        var index = backlog.FindIndex(p => match is null || match(p));
        if (index >= 0)
        {
            var kept = backlog[index];
            backlog.RemoveAt(index);
            return kept;
        }

        using var cancel = new CancellationTokenSource(timeout ?? TaskTimeouts.Default);
        try
        {
            while (true)
            {
                var packet = await packets.Reader.ReadAsync(cancel.Token);
                if (match is null || match(packet))
                {
                    return packet;
                }

                backlog.Add(packet);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No matching Socket.IO packet arrived. Received so far: " + string.Join(" | ", seen));
        }
    }

    /// <summary>The next EVENT (or BINARY_EVENT) named <paramref name="eventName"/> in <paramref name="nsp"/>.</summary>
    public Task<V5Packet> ReceiveEventAsync(string eventName, string nsp = "/", TimeSpan? timeout = null) =>
        ReceiveAsync(p => p.Namespace == nsp && p.Type is 2 or 5 && (string?)p.Data![0] == eventName, timeout);

    /// <summary>The next ACK (or BINARY_ACK) of <paramref name="ackId"/> in <paramref name="nsp"/>.</summary>
    public Task<V5Packet> ReceiveAckAsync(long ackId, string nsp = "/") =>
        ReceiveAsync(p => p.Namespace == nsp && p.Type is 3 or 6 && p.AckId == ackId);

    /// <summary>Asserts that no Socket.IO packet matching <paramref name="match"/> arrives within <paramref name="wait"/>.</summary>
    public async Task AssertNoneAsync(Func<V5Packet, bool> match, TimeSpan wait)
    {
        try
        {
            var packet = await ReceiveAsync(match, wait);
            Assert.Fail("Unexpected packet: " + packet.Raw);
        }
        catch (TimeoutException)
        {
        }
    }

    private static string Prefix(string nsp) => nsp == "/" ? string.Empty : nsp + ",";

    private async Task SendAsync(byte[] bytes, WebSocketMessageType type)
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

    private async Task<(string? Text, byte[]? Binary)> ReceiveMessageAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, null);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Binary
                    ? (null, message.ToArray())
                    : (Encoding.UTF8.GetString(message.ToArray()), null);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        V5Packet? pending = null;
        try
        {
            while (true)
            {
                var (text, binary) = await ReceiveMessageAsync();
                if (text is null && binary is null)
                {
                    break;
                }

                if (binary is not null)
                {
                    pending!.Attachments.Add(binary);
                    if (pending.Attachments.Count == pending.AttachmentCount)
                    {
                        packets.Writer.TryWrite(pending);
                        pending = null;
                    }

                    continue;
                }

                if (text == "2")
                {
                    await SendAsync("3"u8.ToArray(), WebSocketMessageType.Text);
                    continue;
                }

                if (text!.Length < 2 || text[0] != '4')
                {
                    continue; // noop, close, ...
                }

                seen.Enqueue(text);
                var packet = V5Packet.Parse(text[1..]);
                if (packet.AttachmentCount > 0)
                {
                    pending = packet;
                }
                else
                {
                    packets.Writer.TryWrite(packet);
                }
            }
        }
        catch (Exception)
        {
            // the connection ended
        }

        packets.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception)
        {
            // already gone
        }

        socket.Dispose();
        if (receiving is not null)
        {
            await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }
}

/// <summary>One Socket.IO 5 packet as a test client received it.</summary>
public sealed class V5Packet
{
    public required string Raw { get; init; }

    public required int Type { get; init; }

    public required string Namespace { get; init; }

    public long? AckId { get; init; }

    public int AttachmentCount { get; init; }

    public JToken? Data { get; init; }

    public List<byte[]> Attachments { get; } = [];

    public static V5Packet Parse(string text)
    {
        var type = text[0] - '0';
        var i = 1;
        var attachments = 0;
        if (type is 5 or 6)
        {
            var dash = text.IndexOf('-', i);
            attachments = int.Parse(text[i..dash], System.Globalization.CultureInfo.InvariantCulture);
            i = dash + 1;
        }

        var nsp = "/";
        if (i < text.Length && text[i] == '/')
        {
            var comma = text.IndexOf(',', i);
            nsp = comma < 0 ? text[i..] : text[i..comma];
            i = comma < 0 ? text.Length : comma + 1;
        }

        long? ackId = null;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i > start)
        {
            ackId = long.Parse(text[start..i], System.Globalization.CultureInfo.InvariantCulture);
        }

        return new V5Packet
        {
            Raw = text,
            Type = type,
            Namespace = nsp,
            AckId = ackId,
            AttachmentCount = attachments,
            Data = i < text.Length ? JToken.Parse(text[i..]) : null,
        };
    }
}
