using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>What OnConnect sends before the CONNECT is answered waits in the socket's own list (created by the first
/// such send, docs/protocol-v5.md §2.2): it follows the answer, in order, bounded like every queue.</summary>
public sealed class OnConnectSendsTests
{
    [Fact]
    public async Task EverySendOfOnConnectFollowsTheConnectAnswerInOrder()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<ThreeSendsHandlers>());
        await using var client = new EngineIoWebSocketClient(app.Address);
        await client.OpenAsync();

        await client.SendAsync("40");

        Assert.StartsWith("40{\"sid\":\"", await client.ReceivePacketAsync(), StringComparison.Ordinal);
        Assert.Equal("42[\"message\",\"one\"]", await client.ReceivePacketAsync());
        Assert.Equal("42[\"message\",\"two\"]", await client.ReceivePacketAsync());
        Assert.Equal("42[\"message\",\"three\"]", await client.ReceivePacketAsync());
        await client.SendAsync("42[\"message\",\"after\"]");
        Assert.Equal("42[\"message\",\"after\"]", await client.ReceivePacketAsync());
    }

    [Fact]
    public async Task OnConnectSendingMoreThanTheQueueHoldsDropsTheSocketAsASlowConsumer()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<ThreeSendsHandlers>(), o => o.MaxQueuedFrames = 2);
        await using var client = new EngineIoWebSocketClient(app.Address);
        await client.OpenAsync();

        await client.SendAsync("40");

        // The third send finds the list full: the socket is dropped as a slow consumer before it was answered (the
        // sender is not made to wait), and only the socket: its Engine.IO session lives on.
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (!app.Logs.Entries.Any(e => e.EventId.Id == 202))
        {
            Assert.True(DateTime.UtcNow < deadline, "no slow-consumer warning was logged");
            await Task.Delay(20);
        }

        Assert.NotNull(app.Services.GetRequiredService<EngineIoSessionStore>().Find((string)client.Handshake["sid"]!));
    }

    /// <summary>OnConnect sends three messages before the loop answers the CONNECT.</summary>
    public sealed class ThreeSendsHandlers
    {
        [OnConnect]
        public void Connect(ISocket socket)
        {
            socket.Send("one");
            socket.Send("two");
            socket.Send("three");
        }

        [OnMessage]
        public void Message(ISocket socket, object message) => socket.Send(message);
    }
}
