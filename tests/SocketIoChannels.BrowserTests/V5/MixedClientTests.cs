using Newtonsoft.Json.Linq;
using SocketIoChannels.BrowserTests.Infrastructure;
using static SocketIoChannels.BrowserTests.Infrastructure.SocketPage;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// The point of the v5 work: the real socket.io 0.6.18 client (Chromium) and socket.io-client 4.8 (Node) in one
/// channel of one server, through the same handler (<see cref="V5TestHandlers"/>: a message from a member of a
/// "relay-" channel goes to the channel's other members), and an out-of-band BroadcastChannel and EmitChannel.
/// </summary>
[Collection(V5BrowserCollection.Name)]
public sealed class MixedClientTests(V5BrowserFixture fixture)
{
    public static TheoryData<string, string> Transports => new()
    {
        { "websocket", "websocket" },
        { "polling", "xhr-polling" },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A06ClientAndAV5ClientInOneChannelExchangeMessagesBothWays(string v5Transport, string transport06)
    {
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var channel = ChannelHelpers.NewChannel(V5TestHandlers.RelayChannelPrefix);
            var old = await ConnectAsync(browser, TestPages.Client06Path, transport06);
            await old.RunAsync("(ch) => socket.send(['__subscribe__', ch])", channel);
            var modern = await fixture.ConnectAsync([v5Transport]);
            JsonAssert.Equal(new JArray(true), await modern.EmitWithAckAsync("subscribe", channel));
            await WaitForSubscribersAsync(channel, 2);

            await old.SendAsync("hello from 0.6 " + TestPages.UnicodeSample);
            JsonAssert.Equal(new JArray("hello from 0.6 " + TestPages.UnicodeSample), await modern.FirstArgsAsync("message"));

            var fromV5 = new JObject { ["text"] = "hello from v5", ["n"] = 5 };
            await modern.SendAsync(fromV5);
            JsonAssert.Equal(new JArray(Typed("object", fromV5)), await old.WaitForMessagesAsync(1, "the v5 client's message"));

            Assert.Equal(2, fixture.Broadcaster.BroadcastChannel("to both " + TestPages.UnicodeSample, channel));
            var both = await modern.WaitForAsync("message", 2);
            JsonAssert.Equal(new JArray("to both " + TestPages.UnicodeSample), both[1]["args"]!);
            var messages = await old.WaitForMessagesAsync(2, "the out-of-band broadcast");
            JsonAssert.Equal(Typed("string", "to both " + TestPages.UnicodeSample), messages[1]);

            // An event: socket.io-client gets it as the event; the 0.6 client as the JSON message {name, args}.
            Assert.Equal(2, fixture.Broadcaster.EmitChannel(channel, "news", "for both", 3));
            JsonAssert.Equal(new JArray("for both", 3), await modern.FirstArgsAsync("news"));
            messages = await old.WaitForMessagesAsync(3, "the event as {name, args}");
            JsonAssert.Equal(Typed("object", new JObject { ["name"] = "news", ["args"] = new JArray("for both", 3) }), messages[2]);

            // Neither got its own message back, and both stayed connected.
            Assert.Equal(2, (await modern.EventsAsync()).Count(e => e.Value<string>("name") == "message"));
            Assert.Equal(3, (await old.MessagesAsync()).Count);
            Assert.DoesNotContain("disconnect", await modern.EventNamesAsync());
            Assert.DoesNotContain("disconnect", await old.EventsAsync());
            await modern.DisconnectAsync();
        });
    }

    private async Task WaitForSubscribersAsync(string channel, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        int count;
        while ((count = fixture.Broadcaster.CountSubscribers(channel)) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the server counted {count} subscriber(s) of '{channel}' after 15 s, expected {expected}");
            await Task.Delay(25).WithTimeout();
        }
    }
}
