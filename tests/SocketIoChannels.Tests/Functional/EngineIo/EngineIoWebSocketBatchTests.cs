using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>The Engine.IO 4 WebSocket writes what is queued in batches: each packet its own WebSocket message, the
/// messages of a batch in one socket write.</summary>
public sealed class EngineIoWebSocketBatchTests
{
    [Fact]
    public async Task ManyQueuedPacketsArriveAsSeparateMessagesInOrderFromOneSocketWrite()
    {
        var observer = new CoalescingUpgradeObserver();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), services: s => s.AddSingleton(observer));
        await using var client = new EngineIoWebSocketClient(app.Address);
        await client.ConnectAsync();
        var stream = Assert.Single(observer.Streams);
        Assert.True(stream.IsUpgraded);
        var writesBefore = stream.InnerWrites;

        // 300 packets queued at once (one in five binary): the send loop takes them as one batch.
        var packets = new List<byte[]>();
        for (var i = 0; i < 300; i++)
        {
            packets.Add(i % 5 == 4
                ? EngineIoCodec.QueuedBinary([(byte)i, (byte)(i >> 8), 0xFF])
                : EngineIoCodec.QueuedText(EngineIoPacketType.Message, "2[\"message\",\"" + i + new string('x', i % 7) + "\"]"));
        }

        var engine = app.Services.GetRequiredService<EngineIoSessionStore>().Find((string)client.Handshake["sid"]!)!;
        Assert.True(engine.TryEnqueue([.. packets]));

        for (var i = 0; i < 300; i++)
        {
            var (type, bytes) = await client.ReceiveAsync();
            if (i % 5 == 4)
            {
                Assert.Equal(WebSocketMessageType.Binary, type);
                Assert.Equal(new byte[] { (byte)i, (byte)(i >> 8), 0xFF }, bytes);
            }
            else
            {
                Assert.Equal(WebSocketMessageType.Text, type);
                Assert.Equal("42[\"message\",\"" + i + new string('x', i % 7) + "\"]", Encoding.UTF8.GetString(bytes));
            }
        }

        // One write (one Kestrel flush, one send call) for the 300 messages, where each used to take its own.
        Assert.Equal(1, stream.InnerWrites - writesBefore);

        // The connection goes on: a message both ways, then the client's close is answered.
        await client.SendAsync("42[\"message\",\"after\"]");
        Assert.Equal("42[\"message\",\"after\"]", await client.ReceivePacketAsync());
        await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
        Assert.Equal(WebSocketMessageType.Close, (await client.ReceiveAsync()).Type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.Socket.CloseStatus);
    }
}
