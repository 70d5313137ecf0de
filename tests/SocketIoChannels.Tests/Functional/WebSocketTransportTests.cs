using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

public sealed class WebSocketTransportTests : TransportBehaviourTests
{
    protected override SocketIoTestClient CreateClient(Uri server) => new WebSocketTestClient(server);

    protected override void Configure(SocketIoOptions options)
    {
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(300);
        options.HeartbeatTimeout = TimeSpan.FromSeconds(2); // a loaded machine may echo late; only the missed-heartbeat test waits for it
        options.MaxMessageSize = 4096;
    }

    [Fact]
    public async Task HeartbeatsAreSentAndAnsweredHeartbeatsKeepTheSessionAlive()
    {
        var client = await ConnectAsync();

        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref client.HeartbeatsReceived) >= 3), "three heartbeats, each echoed");

        Assert.False(client.Closed.IsCompleted);
        await client.SendAsync("alive");
        Assert.Equal("alive", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AMissedHeartbeatEndsTheSessionAndClosesTheConnection()
    {
        var client = CreateClient(App.Address);
        client.EchoHeartbeats = false;
        await using var _ = client;
        var id = await client.ConnectAsync();

        await client.Closed.DefaultTimeout();

        var events = await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        Assert.Contains("disconnect", events);
        Assert.True(client.HeartbeatsReceived >= 1);
    }

    [Fact]
    public async Task AMessageOverTheLimitClosesWith1009AndOthersKeepWorking()
    {
        var client = (WebSocketTestClient)await ConnectAsync();
        var bystander = await ConnectAsync();

        await client.SendAsync(new string('x', 5000));

        await client.Closed.DefaultTimeout();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
        await bystander.SendAsync("fine");
        Assert.Equal("fine", await bystander.ReceiveTextAsync());
    }

    [Fact]
    public async Task InvalidUtf8ClosesWith1007()
    {
        var client = (WebSocketTestClient)await ConnectAsync();

        await client.SendRawAsync([0x7E, 0x6D, 0x7E, 0x31, 0x7E, 0x6D, 0x7E, 0xC3, 0x28]);

        await client.Closed.DefaultTimeout();
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
    }

    [Fact]
    public async Task FlashsocketIsTheSameTransportUnderAnotherName()
    {
        await using var client = new WebSocketTestClient(App.Address, "flashsocket");
        await client.ConnectAsync();

        await client.SendAsync("via flash name");

        Assert.Equal("via flash name", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task ClientClosingEndsTheSessionAtOnce()
    {
        var client = (WebSocketTestClient)await ConnectAsync();
        var id = client.SessionId;

        await client.CloseAsync();

        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
        // Session.End completes the queues (which lets the loop run the teardown) before it leaves the store, so
        // under load OnFinish can run a moment before the count drops.
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (App.Broadcaster.SessionCount != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, App.Broadcaster.SessionCount);
    }
}
