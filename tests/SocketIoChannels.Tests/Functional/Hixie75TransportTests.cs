using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>hixie-75 (no keys, no challenge) on the flashsocket URL.</summary>
public sealed class Hixie75TransportTests : StreamingTransportTests
{
    protected override SocketIoTestClient CreateClient(Uri server) => new HixieTestClient(server, draft76: false, "flashsocket");

    protected override Task DropAsync(SocketIoTestClient client) => ((HixieTestClient)client).DropAsync();

    [Fact]
    public async Task TheHandshakeHasTheOldHeadersAndNoChallenge()
    {
        var client = (HixieTestClient)await ConnectAsync();

        Assert.Equal("HTTP/1.1 101 Web Socket Protocol Handshake", client.Head!.StatusLine);
        Assert.Equal("WebSocket", client.Head["Upgrade"]);
        Assert.Equal($"http://{App.Address.Host}:{App.Address.Port}", client.Head["WebSocket-Origin"]);
        Assert.Equal($"ws://{App.Address.Host}:{App.Address.Port}/socket.io/flashsocket", client.Head["WebSocket-Location"]);
        Assert.Null(client.Head["Sec-WebSocket-Origin"]);
        Assert.Null(client.ChallengeAnswer);
        Assert.Matches("^[0-9a-f]{32}$", client.SessionId);
    }
}
