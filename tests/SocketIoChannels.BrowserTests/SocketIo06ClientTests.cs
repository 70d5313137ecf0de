using Newtonsoft.Json.Linq;
using SocketIoChannels.BrowserTests.Infrastructure;
using static SocketIoChannels.BrowserTests.Infrastructure.SocketPage;

namespace SocketIoChannels.BrowserTests;

/// <summary>
/// The real, unchanged socket.io 0.6.18 browser client (0.6.3) against the server, one transport at a time.
/// 0.6 sends plain objects as ~j~ JSON and everything else as text (numbers arrive as strings), and sends an
/// array as a list of frames: <c>send(['__subscribe__', ch])</c> is the two frames the server takes as a subscription.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SocketIo06ClientTests(BrowserTestFixture fixture)
{
    public static TheoryData<string> Transports => new() { "websocket", "xhr-polling", "jsonp-polling" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ConnectsAndGetsTheServersSessionId(string transport)
    {
        TestEnvironment.RequireClient06();
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var socket = await ConnectAsync(browser, TestPages.Client06Path, transport);
            await socket.AssertConnectedWithTheServersSessionIdAsync(transport, fixture.Broadcaster);
        });
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task SubscribesAndReceivesChannelBroadcasts(string transport)
    {
        TestEnvironment.RequireClient06();
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var socket = await ConnectAsync(browser, TestPages.Client06Path, transport);
            var channel = ChannelHelpers.NewChannel("room-");
            await socket.RunAsync("(ch) => socket.send(['__subscribe__', ch])", channel);

            var viaEndpoint = new JObject { ["text"] = TestPages.UnicodeSample, ["n"] = 1 };
            Assert.Equal(1, await fixture.BroadcastUntilReceivedAsync(channel, viaEndpoint));
            Assert.Equal(1, fixture.Broadcaster.BroadcastChannel("direct " + TestPages.UnicodeSample, channel));
            Assert.Equal(0, await fixture.PostBroadcastAsync(ChannelHelpers.NewChannel("other-"), "nobody listens"));

            // The echo of "barrier" comes after everything the server queued before it.
            await socket.SendAsync("barrier");
            var messages = await socket.WaitForMessagesAsync(3, "two broadcasts and the echo of 'barrier'");
            JsonAssert.Equal(new JArray(
                Typed("object", viaEndpoint),
                Typed("string", "direct " + TestPages.UnicodeSample),
                Typed("string", "barrier")), messages);
            Assert.DoesNotContain("disconnect", await socket.EventsAsync());
        });
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EchoesStringsObjectsAndUnicode(string transport)
    {
        TestEnvironment.RequireClient06();
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var socket = await ConnectAsync(browser, TestPages.Client06Path, transport);
            var obj = new JObject { ["a"] = 1, ["nested"] = new JObject { ["b"] = new JArray(1, "x", JValue.CreateNull(), true), ["u"] = TestPages.UnicodeSample } };
            JToken[] sent = ["plain text", obj, TestPages.UnicodeSample, "tilde ~m~3~m~abc inside", 42];
            foreach (var value in sent)
            {
                await socket.SendAsync(value);
            }

            var messages = await socket.WaitForMessagesAsync(sent.Length, "the echoes");
            JsonAssert.Equal(new JArray(
                Typed("string", "plain text"),
                Typed("object", obj),
                Typed("string", TestPages.UnicodeSample),
                Typed("string", "tilde ~m~3~m~abc inside"),
                Typed("string", "42")), messages); // 0.6 sends a number as its text
            Assert.DoesNotContain("disconnect", await socket.EventsAsync());
        });
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ServerGetsPlainFramesAsStringsAndObjectsAsJson(string transport)
    {
        TestEnvironment.RequireClient06();
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var socket = await ConnectAsync(browser, TestPages.Client06Path, transport);
            var channel = ChannelHelpers.NewChannel(TestHandlers.ProbeChannelPrefix);
            await socket.RunAsync("(ch) => socket.send(['__subscribe__', ch])", channel);
            await fixture.WaitForSubscribersAsync(channel, 1);

            var obj = new JObject { ["k"] = new JArray(1, 2) };
            JToken[] sent = [TestPages.UnicodeSample, 42, true, obj];
            foreach (var value in sent)
            {
                await socket.SendAsync(value);
            }

            var messages = await socket.WaitForMessagesAsync(sent.Length, "the server's type reports");
            JsonAssert.Equal(new JArray(
                Typed("object", new JObject { ["type"] = "String", ["value"] = TestPages.UnicodeSample }),
                Typed("object", new JObject { ["type"] = "String", ["value"] = "42" }),
                Typed("object", new JObject { ["type"] = "String", ["value"] = "true" }),
                Typed("object", new JObject { ["type"] = "Object", ["value"] = obj })), messages);
        });
    }
}
