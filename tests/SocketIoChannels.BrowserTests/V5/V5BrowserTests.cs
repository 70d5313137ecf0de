using Newtonsoft.Json.Linq;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// socket.io-client 4.8's browser bundle in Chromium against the server: polling only, WebSocket only and the
/// default polling → WebSocket upgrade, each with send, emit with ack (JSON and ArrayBuffers) and a server event.
/// </summary>
[Collection(V5BrowserCollection.Name)]
public sealed class V5BrowserTests(V5BrowserFixture fixture)
{
    public static TheoryData<string> Modes => new() { "polling", "websocket", "upgrade" };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task TheBrowserBundleConnectsSendsEmitsWithAcksAndBinary(string mode)
    {
        await using var browser = await fixture.NewPageAsync();
        await browser.RunAsync(async () =>
        {
            await browser.GotoAsync(V5TestPages.ClientV5Path);
            var options = mode == "upgrade" ? new JObject() : new JObject { ["transports"] = new JArray(mode) };
            options["auth"] = new JObject { ["token"] = "browser-" + mode };
            await browser.EvaluateAsync<bool>("(json) => startV5(JSON.parse(json))", options.ToString());
            await browser.WaitForAsync("() => h.events.some(e => e.name === 'connect' || e.name === 'connect_error')", "connect");
            // With the default transports the upgrade may finish before or after the CONNECT answer: either is right.
            var connect = (await browser.EvaluateJsonAsync("() => h.events.find(e => e.name === 'connect' || e.name === 'connect_error')"))!;
            Assert.Equal("connect", connect.Value<string>("name"));
            Assert.Equal(mode == "websocket" ? "websocket" : "polling", await browser.EvaluateAsync<string>("() => h.firstTransport"));
            if (mode == "upgrade")
            {
                await browser.WaitForAsync("() => eventsNamed('upgrade').length === 1", "the upgrade to websocket");
                JsonAssert.Equal(new JArray("websocket"), (await browser.EvaluateJsonAsync("() => eventsNamed('upgrade')[0].args"))!);
            }
            else
            {
                Assert.Equal(mode, connect["args"]![0]!.Value<string>("transport"));
            }

            var whoami = await EmitAckAsync(browser, "whoami");
            Assert.Equal("browser-" + mode, whoami[0]!["auth"]!.Value<string>("token"));

            var obj = new JObject { ["u"] = TestPages.UnicodeSample, ["list"] = new JArray(1, 2.5, JValue.CreateNull()) };
            JToken[] args = [obj, V5Client.Bytes(1, 2, 3, 0, 255), "text"];
            var echoed = await EmitAckAsync(browser, "echo", args);
            JsonAssert.Equal(new JArray(args), echoed);

            await browser.EvaluateAsync<bool>("() => { socket.send('hello from the browser'); socket.emit('give-binary'); return true; }");
            await browser.WaitForAsync("() => eventsNamed('message').length >= 1 && eventsNamed('binary').length >= 1", "the echo and the binary event");
            JsonAssert.Equal(new JArray("hello from the browser"), (await browser.EvaluateJsonAsync("() => eventsNamed('message')[0].args"))!);
            JsonAssert.Equal(new JArray(V5Client.Bytes(0, 1, 2, 255)), (await browser.EvaluateJsonAsync("() => eventsNamed('binary')[0].args"))!);

            Assert.Equal(mode == "polling" ? "polling" : "websocket", await browser.EvaluateAsync<string>("() => transportName()"));
            Assert.Empty(await browser.EvaluateJsonAsync("() => eventsNamed('disconnect')"));
            Assert.Equal(mode == "upgrade" ? 1 : 0, (await browser.EvaluateJsonAsync("() => eventsNamed('upgrade')")).Count());
            Assert.Empty(await browser.EvaluateJsonAsync("() => h.errors"));
        });
    }

    /// <summary><c>emitAck(event, args)</c> in the page: the ack's arguments.</summary>
    private static async Task<JArray> EmitAckAsync(BrowserPage browser, string eventName, params JToken[] args)
    {
        var json = await browser.EvaluateAsync<string>(
            "async ([name, json]) => JSON.stringify(await emitAck(name, JSON.parse(json)))",
            new object[] { eventName, new JArray(args).ToString() });
        return JArray.Parse(json);
    }
}
