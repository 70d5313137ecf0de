using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>The hostile-input catalogue for the Engine.IO 4 / Socket.IO 5 parsers: each case gets a clear answer (a
/// status with node's JSON body, or a WebSocket close code) and ends only its own session, while a 0.6 bystander and a
/// Socket.IO 5 bystander keep being served.</summary>
public sealed class EngineIoHostileInputTests : IAsyncLifetime
{
    private TestApp app = null!;
    private WebSocketTestClient bystander06 = null!;
    private EngineIoWebSocketClient bystander5 = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o =>
        {
            o.MaxMessageSize = 64 * 1024;
            o.MaxFramesPerPayload = 10;
            o.MessageLogFormat = null;
        });
        bystander06 = new WebSocketTestClient(app.Address);
        await bystander06.ConnectAsync().DefaultTimeout();
        bystander5 = new EngineIoWebSocketClient(app.Address);
        await bystander5.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await bystander06.DisposeAsync();
        await bystander5.DisposeAsync();
        await app.DisposeAsync();
    }

    private async Task AssertBystandersServedAsync()
    {
        var text = "still served " + Guid.NewGuid().ToString("N");
        await bystander06.SendAsync(text);
        Assert.Equal(text, await bystander06.ReceiveTextAsync());
        await bystander5.SendAsync($"42[\"message\",\"{text}\"]");
        Assert.Equal($"42[\"message\",\"{text}\"]", await bystander5.ReceivePacketAsync());
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    private async Task<(WebSocketCloseStatus? Status, string? Reason)> SendOnWebSocketAsync(Func<EngineIoWebSocketClient, Task> send)
    {
        await using var client = new EngineIoWebSocketClient(app.Address);
        await client.ConnectAsync();
        await send(client);
        while (await client.ReceivePacketAsync() is not null)
        {
        }

        return (client.Socket.CloseStatus, client.Socket.CloseStatusDescription);
    }

    [Theory]
    [InlineData("452147483647-[\"message\",{\"_placeholder\":true,\"num\":0}]", "too many attachments")] // allocates nothing
    [InlineData("42[\"message\",1e999]", "a number out of range")]
    [InlineData("4299999999999999999[\"message\"]", "invalid ack id")]
    [InlineData("42[\"connect\"]", "reserved event name")]
    [InlineData("42[{\"not\":\"a name\"}]", "the event name must be a string")]
    [InlineData("40\"token\"", "CONNECT payload must be an object")]
    [InlineData("0{}", "an open packet from the client")]
    public async Task AMalformedPacketOnAWebSocketIsClosedWith1007NamingTheProblem(string packet, string problem)
    {
        var (status, reason) = await SendOnWebSocketAsync(c => c.SendAsync(packet));

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Contains(problem, reason, StringComparison.Ordinal);
        await AssertBystandersServedAsync();
    }

    [Fact]
    public async Task AttachmentsOverMaxPayloadAreRefusedBeforeTheyPileUp()
    {
        var (status, reason) = await SendOnWebSocketAsync(async c =>
        {
            await c.SendAsync("453-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}]");
            for (var i = 0; i < 3; i++)
            {
                await c.SendBinaryAsync(new byte[40 * 1024]);
            }
        });

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Contains("over maxPayload", reason, StringComparison.Ordinal);
        await AssertBystandersServedAsync();
    }

    [Fact]
    public async Task AWebSocketMessageOverMaxPayloadIsClosedWith1009()
    {
        var (status, _) = await SendOnWebSocketAsync(c => c.SendAsync("42[\"message\",\"" + new string('x', 64 * 1024) + "\"]"));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        await AssertBystandersServedAsync();
    }

    [Fact]
    public async Task APollingPayloadOfTooManyPacketsIsRefusedWithNodesBody()
    {
        using var client = new EngineIoPollingClient(app.Address);
        await client.ConnectAsync();

        using var response = await client.PostRawAsync(string.Join('\u001e', Enumerable.Repeat("42[\"message\",1]", 11)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", await response.Content.ReadAsStringAsync().DefaultTimeout());
        await AssertBystandersServedAsync();
    }

    [Fact]
    public async Task AnInvalidUtf8PostIsRefused()
    {
        using var client = new EngineIoPollingClient(app.Address);
        await client.ConnectAsync();

        using var response = await client.Http.PostAsync(client.Url, new ByteArrayContent([(byte)'4', (byte)'2', 0xff, 0xfe])).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync().DefaultTimeout()));
        await AssertBystandersServedAsync();
    }
}
