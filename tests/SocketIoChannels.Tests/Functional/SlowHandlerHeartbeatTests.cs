using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>A slow handler must not get a healthy client dropped (issue 12, item 1): the client's heartbeat echoes
/// sit behind its own messages, which wait for the handler.</summary>
public sealed class SlowHandlerHeartbeatTests
{
    public sealed class SlowHandlers
    {
        [OnMessage]
        public async Task Message(ISocket socket, string message)
        {
            await Task.Delay(20, CancellationToken.None);
            socket.Send("done:" + message);
        }
    }

    [Fact]
    public async Task AClientEchoingHeartbeatsBehindABacklogOfItsOwnMessagesIsNotTimedOut()
    {
        // A heartbeat every 200 ms, to be answered within 1 s; the backlog (64 payloads of 20 ms in the queue, and
        // what waits in the socket before them: about 4 s at first) keeps the echoes behind the handler far longer.
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<SlowHandlers>(), o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
            o.HeartbeatTimeout = TimeSpan.FromSeconds(1);
        });
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();

        const int Messages = 200;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Messages; i++)
            {
                await client.SendAsync("m" + i); // one payload each; the echoes go in between
            }
        });

        for (var i = 0; i < Messages; i++)
        {
            Assert.Equal("done:m" + i, await client.ReceiveTextAsync(TimeSpan.FromSeconds(30)));
        }

        await sending.DefaultTimeout();
        Assert.True(client.HeartbeatsReceived >= 5, $"only {client.HeartbeatsReceived} heartbeats arrived");
        Assert.Empty(app.Logs.Where(e => e.EventId.Id == 201 && e.Message.Contains(id, StringComparison.Ordinal)));
    }
}
