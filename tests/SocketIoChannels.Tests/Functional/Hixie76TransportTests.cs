using System.Text;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>hixie-76 (Flash's web-socket-js and 2010 browsers) on the websocket URL.</summary>
public sealed class Hixie76TransportTests : StreamingTransportTests
{
    protected override SocketIoTestClient CreateClient(Uri server) => new HixieTestClient(server, draft76: true);

    protected override Task DropAsync(SocketIoTestClient client) => ((HixieTestClient)client).DropAsync();

    [Fact]
    public async Task TheChallengeOfTheDraftIsAnsweredWithTheDraftsAnswer()
    {
        // The example handshake of draft-hixie-thewebsocketprotocol-76, section 1.3.
        await using var client = new HixieTestClient(App.Address, draft76: true)
        {
            Keys = ("4 @1  46546xW%0l 1 5", "12998 5 Y3 1  .P00", "^n:ds[4U"u8.ToArray()),
        };

        await client.ConnectAsync();

        Assert.Equal("8jKS'y:G*Co,Wxa-", Encoding.ASCII.GetString(client.ChallengeAnswer!));
        Assert.Equal("HTTP/1.1 101 WebSocket Protocol Handshake", client.Head!.StatusLine);
        Assert.Equal("WebSocket", client.Head["Upgrade"]);
        Assert.Equal("Upgrade", client.Head["Connection"]);
        Assert.Equal($"http://{App.Address.Host}:{App.Address.Port}", client.Head["Sec-WebSocket-Origin"]);
        Assert.Equal($"ws://{App.Address.Host}:{App.Address.Port}/socket.io/websocket", client.Head["Sec-WebSocket-Location"]);
    }

    [Fact]
    public async Task FlashsocketSpeaksHixie76Too()
    {
        await using var client = new HixieTestClient(App.Address, draft76: true, "flashsocket");
        await client.ConnectAsync();

        await client.SendAsync("via flash");

        Assert.Equal("via flash", await client.ReceiveTextAsync());
        Assert.Equal($"ws://{App.Address.Host}:{App.Address.Port}/socket.io/flashsocket", client.Head!["Sec-WebSocket-Location"]);
    }

    [Fact]
    public async Task AKeyWithoutSpacesIsRefusedWithA400BeforeUpgrading()
    {
        await using var connection = await RawHttpConnection.OpenAsync(App.Address);
        var host = connection.HostHeader(App.Address);

        await connection.WriteAsync($"GET /socket.io/websocket HTTP/1.1\r\nHost: {host}\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key1: 12345\r\nSec-WebSocket-Key2: 1 2\r\n\r\nabcdefgh");
        var head = await connection.ReadHeadAsync();

        Assert.Equal(400, head.StatusCode);
        var body = await connection.ReadBodyAsync(head);
        Assert.StartsWith("Sec-WebSocket-Key1 is not a valid hixie-76 key", body);
        Assert.Equal(0, App.Broadcaster.SessionCount);
    }

    [Fact]
    public async Task FramesSplitAcrossWritesOrSharingOneAreEachDelivered()
    {
        var client = (HixieTestClient)await ConnectAsync();
        client.EchoHeartbeats = false; // an echo written between the pieces below would cut the frame in two

        await client.SendRawAsync([0x00, .. "~m~1~m~a"u8, 0xFF, 0x00, .. "~m~2~m~"u8]);
        await Task.Delay(100);
        await client.SendRawAsync([.. "é"u8[..1]]);
        await Task.Delay(100);
        await client.SendRawAsync([.. "é"u8[1..], .. "z"u8, 0xFF]);

        Assert.Equal("a", await client.ReceiveTextAsync());
        Assert.Equal("éz", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AFrameOverTheLimitIsClosedCleanlyAndOthersKeepWorking()
    {
        var client = (HixieTestClient)await ConnectAsync();
        var bystander = await ConnectAsync();

        await client.SendAsync(new string('x', 5000));

        await client.Closed.DefaultTimeout();
        Assert.True(client.CloseFrameReceived);
        Assert.Contains(App.Logs.Entries, e => e.EventId.Id == 102 && e.Level == Microsoft.Extensions.Logging.LogLevel.Debug && e.Message.Contains("at most 4096 bytes", StringComparison.Ordinal));
        await bystander.SendAsync("fine");
        Assert.Equal("fine", await bystander.ReceiveTextAsync());
    }

    [Fact]
    public async Task InvalidUtf8OrABinaryFrameIsClosedCleanly()
    {
        var badText = (HixieTestClient)await ConnectAsync();
        var binary = (HixieTestClient)await ConnectAsync();

        await badText.SendRawAsync([0x00, 0x7E, 0x6D, 0x7E, 0x31, 0x7E, 0x6D, 0x7E, 0xC3, 0x28, 0xFF]);
        await binary.SendRawAsync([0x80, 0x03, 0x01, 0x02, 0x03]);

        await badText.Closed.DefaultTimeout();
        await binary.Closed.DefaultTimeout();
        Assert.True(badText.CloseFrameReceived);
        Assert.True(binary.CloseFrameReceived);
        Assert.Contains(App.Logs.Entries, e => e.EventId.Id == 102 && e.Message.Contains("valid UTF-8", StringComparison.Ordinal));
        Assert.Contains(App.Logs.Entries, e => e.EventId.Id == 102 && e.Message.Contains("0x80", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheClientsCloseFrameEndsTheSessionAndIsAnswered()
    {
        var client = (HixieTestClient)await ConnectAsync();
        var id = client.SessionId;

        await client.CloseAsync();

        await client.Closed.DefaultTimeout();
        Assert.True(client.CloseFrameReceived);
        await Events.WaitForAsync(id, e => e.Any(x => x.StartsWith("finish", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RfcWebSocketsStillWorkOnTheSameUrl()
    {
        await using var client = new WebSocketTestClient(App.Address);
        await client.ConnectAsync();

        await client.SendAsync("rfc 6455");

        Assert.Equal("rfc 6455", await client.ReceiveTextAsync());
    }
}
