using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>A channel the page sends as JSON is the channel the page later broadcasts to: JavaScript's String() of
/// the value, and <c>~j~"__subscribe__"</c> subscribes as the plain frame does (issue 12, item 9).</summary>
public sealed class JsonChannelNameTests
{
    [Fact]
    public async Task ChannelsSentAsJsonAreNamedAsJavaScriptNamesThem()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();

        await client.SendPayloadAsync("~m~13~m~__subscribe__~m~7~m~~j~true~m~18~m~~j~\"__subscribe__\"~m~7~m~~j~1e21~m~13~m~__subscribe__~m~10~m~~j~{\"a\":1}");
        var events = await recorder.WaitForAsync(id, e => e.Count(x => x.StartsWith("subscribe:", StringComparison.Ordinal)) == 3);

        Assert.Equal(["connect", "subscribe:true", "subscribe:1e+21", "subscribe:[object Object]"], events);
        Assert.Equal(1, app.Broadcaster.BroadcastChannel("to true", "true"));
        Assert.Equal("to true", await client.ReceiveTextAsync());
        Assert.Equal(1, app.Broadcaster.BroadcastChannel("to 1e+21", "1e+21"));
        Assert.Equal("to 1e+21", await client.ReceiveTextAsync());
    }
}
