using Newtonsoft.Json.Linq;
using SocketIoChannels.BrowserTests.Infrastructure;
using static SocketIoChannels.BrowserTests.Infrastructure.SocketPage;

namespace SocketIoChannels.BrowserTests;

/// <summary>
/// The library's own client (served at /socket.io/socket.io.js) against the server, one transport at a time.
/// It sends every non-string value as one ~j~ JSON frame, so values keep their JSON type both ways.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OurClientTests(BrowserTestFixture fixture)
{
    public static TheoryData<string> Transports => new() { "websocket", "xhr-polling", "jsonp-polling" };

    /// <summary>Every JSON type, and strings that stress the framing and UTF-16 lengths.</summary>
    private static readonly (JToken Value, string JsType, string ServerType)[] Values =
    [
        (42, "number", "Integer"),
        (3.5, "number", "Float"),
        (-7, "number", "Integer"),
        (0, "number", "Integer"),
        (true, "boolean", "Boolean"),
        (false, "boolean", "Boolean"),
        (JValue.CreateNull(), "null", "Null"),
        (new JArray(1, "two", new JObject { ["three"] = 3 }, new JArray(4)), "array", "Array"),
        (new JObject { ["a"] = new JObject { ["b"] = new JArray(JValue.CreateNull(), true) }, ["s"] = TestPages.UnicodeSample }, "object", "Object"),
        ("text", "string", "String"),
        (TestPages.UnicodeSample, "string", "String"),
        ("42", "string", "String"),
        ("tilde ~m~3~m~abc inside", "string", "String"),
        ("", "string", "String"),
    ];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ConnectsAndGetsTheServersSessionId(string transport)
    {
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var socket = await ConnectAsync(browser, TestPages.OurClientPath, transport);
            await socket.AssertConnectedWithTheServersSessionIdAsync(transport, fixture.Broadcaster);
        });
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task SubscribeThenABroadcastOnThatChannelArrivesAndUnsubscribeStopsIt(string transport)
    {
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var socket = await ConnectAsync(browser, TestPages.OurClientPath, transport);
            var channel = ChannelHelpers.NewChannel("room-");
            await socket.RunAsync("(ch) => socket.subscribe(ch)", channel);

            var viaEndpoint = new JObject { ["text"] = TestPages.UnicodeSample, ["n"] = 1 };
            Assert.Equal(1, await fixture.BroadcastUntilReceivedAsync(channel, viaEndpoint));
            Assert.Equal(1, fixture.Broadcaster.BroadcastChannel(7, channel));
            await socket.SendAsync("barrier");
            var messages = await socket.WaitForMessagesAsync(3, "two broadcasts and the echo of 'barrier'");
            JsonAssert.Equal(new JArray(
                Typed("object", viaEndpoint),
                Typed("number", 7),
                Typed("string", "barrier")), messages);

            await socket.RunAsync("(ch) => socket.unsubscribe(ch)", channel);
            await fixture.WaitForSubscribersAsync(channel, 0);
            Assert.Equal(0, await fixture.PostBroadcastAsync(channel, "after unsubscribe"));
            Assert.DoesNotContain("disconnect", await socket.EventsAsync());
        });
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EchoKeepsValuesTypedAndStringsIntact(string transport)
    {
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var socket = await ConnectAsync(browser, TestPages.OurClientPath, transport);
            foreach (var (value, _, _) in Values)
            {
                await socket.SendAsync(value);
            }

            var messages = await socket.WaitForMessagesAsync(Values.Length, "the echoes");
            JsonAssert.Equal(new JArray(Values.Select(v => Typed(v.JsType, v.Value))), messages);
            Assert.DoesNotContain("disconnect", await socket.EventsAsync());
        });
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ServerHandlersReceiveValuesTyped(string transport)
    {
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            var socket = await ConnectAsync(browser, TestPages.OurClientPath, transport);
            var channel = ChannelHelpers.NewChannel(TestHandlers.ProbeChannelPrefix);
            await socket.RunAsync("(ch) => socket.subscribe(ch)", channel);
            await fixture.WaitForSubscribersAsync(channel, 1);
            foreach (var (value, _, _) in Values)
            {
                await socket.SendAsync(value);
            }

            var messages = await socket.WaitForMessagesAsync(Values.Length, "the server's type reports");
            JsonAssert.Equal(
                new JArray(Values.Select(v => Typed("object", new JObject { ["type"] = v.ServerType, ["value"] = v.Value }))),
                messages);
        });
    }
}
