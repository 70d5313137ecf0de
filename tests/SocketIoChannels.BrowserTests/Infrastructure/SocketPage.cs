using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>A test page with a connected Socket.IO client (window.socket) and the harness of <see cref="TestPages"/>.</summary>
public sealed class SocketPage
{
    private SocketPage(BrowserPage browser, string transport)
    {
        Browser = browser;
        Transport = transport;
    }

    public BrowserPage Browser { get; }

    public string Transport { get; }

    /// <summary>Opens <paramref name="pagePath"/>, connects with only <paramref name="transport"/> allowed and waits for the connect event.</summary>
    public static async Task<SocketPage> ConnectAsync(BrowserPage browser, string pagePath, string transport)
    {
        await browser.GotoAsync(pagePath);
        await browser.EvaluateAsync<bool>("(t) => startSocket([t])", transport);
        await browser.WaitForAsync("() => h.events.includes('connect') || h.events.includes('connect_failed')", $"the {transport} connect event");
        var events = await browser.EvaluateJsonAsync("() => h.events");
        Assert.DoesNotContain("connect_failed", events.Values<string>());
        return new SocketPage(browser, transport);
    }

    public async Task<string?> SessionIdAsync() =>
        await Browser.EvaluateAsync<string?>("() => socket.transport && socket.transport.sessionid ? String(socket.transport.sessionid) : null");

    public Task<string> TransportTypeAsync() => Browser.EvaluateAsync<string>("() => socket.transport.type");

    public Task<bool> ConnectedAsync() => Browser.EvaluateAsync<bool>("() => socket.connected === true");

    /// <summary>Calls <c>socket.send(value)</c> with a value built in the page from JSON (so undefined never sneaks in).</summary>
    public Task SendAsync(JToken value) =>
        Browser.EvaluateAsync<bool>("(json) => { socket.send(JSON.parse(json)); return true; }", value.ToString(Newtonsoft.Json.Formatting.None));

    /// <summary>Runs a script with <c>socket</c> in scope, for example <c>socket.subscribe(arg)</c>.</summary>
    public Task RunAsync(string functionOfArg, object? arg = null) =>
        Browser.EvaluateAsync<bool>($"(arg) => {{ ({functionOfArg})(arg); return true; }}", arg);

    /// <summary>Every message received so far: <c>[{"type": "string"|"number"|"boolean"|"object"|"array"|"null", "value": ...}]</c>.</summary>
    public async Task<JArray> MessagesAsync() => (JArray)await Browser.EvaluateJsonAsync("() => h.messages");

    public async Task<IReadOnlyList<string>> EventsAsync() => (await Browser.EvaluateJsonAsync("() => h.events")).Values<string>().Select(e => e!).ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived and returns them all.</summary>
    public async Task<JArray> WaitForMessagesAsync(int count, string what)
    {
        await Browser.WaitForAsync("(n) => h.messages.length >= n", $"{count} message(s): {what}", count);
        return await MessagesAsync();
    }

    public static JObject Typed(string type, JToken value) => new() { ["type"] = type, ["value"] = value };

    /// <summary>Asserts the page is connected on <paramref name="transport"/> with the server's own session id:
    /// a message the server sends to that id arrives, and no disconnect happened.</summary>
    public async Task AssertConnectedWithTheServersSessionIdAsync(string transport, ISocketIoBroadcaster broadcaster)
    {
        Assert.Equal(transport, await TransportTypeAsync());
        Assert.True(await ConnectedAsync(), "socket.connected");
        var sessionId = await SessionIdAsync();
        Assert.False(string.IsNullOrEmpty(sessionId), "socket.transport.sessionid is empty");

        broadcaster.Send(sessionId!, "to " + sessionId);
        var messages = await WaitForMessagesAsync(1, "the message sent to the session id");
        JsonAssert.Equal(new JArray(Typed("string", "to " + sessionId)), messages);
        Assert.DoesNotContain("disconnect", await EventsAsync());
    }
}
