using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// One socket.io-client 4.8 socket (<c>io(url, options)</c>) in the node driver. Values cross as JSON; bytes as
/// <c>{"$bytes": base64}</c> (<see cref="Bytes"/>), which are Buffers inside the client.
/// </summary>
public sealed class V5Client
{
    private static long counter;
    private readonly NodeClientDriver driver;

    private V5Client(NodeClientDriver driver, string name, string tag)
    {
        this.driver = driver;
        Name = name;
        Tag = tag;
    }

    public string Name { get; }

    /// <summary>The query parameter <c>tag</c> this client sends on every request: the test server's drop endpoint uses it.</summary>
    public string Tag { get; }

    /// <summary>What connecting gave: <c>{"event":"connect","id","transport","recovered"}</c> or <c>{"event":"connect_error","message","data"}</c>.</summary>
    public JObject ConnectResult { get; private set; } = new();

    public bool Connected => ConnectResult.Value<string>("event") == "connect";

    public string Id => ConnectResult.Value<string>("id") ?? throw new InvalidOperationException($"{Name} did not connect: {ConnectResult}");

    /// <summary>Opens a socket and waits for connect or connect_error (either is returned, never thrown).
    /// <paramref name="transports"/>: for example <c>["polling"]</c> or <c>["websocket"]</c>; null for the default
    /// (polling, then the upgrade).</summary>
    public static async Task<V5Client> OpenAsync(NodeClientDriver driver, Uri server, string[]? transports = null, JObject? auth = null,
        string? nameSpace = null, JObject? options = null)
    {
        var name = "c" + Interlocked.Increment(ref counter);
        var tag = name + "-" + Guid.NewGuid().ToString("N")[..8];
        var all = options is null ? new JObject() : (JObject)options.DeepClone();
        all["query"] = new JObject { ["tag"] = tag };
        if (transports is not null)
        {
            all["transports"] = new JArray(transports);
        }

        if (auth is not null)
        {
            all["auth"] = auth;
        }

        var client = new V5Client(driver, name, tag);
        var command = new JObject { ["op"] = "connect", ["client"] = name, ["url"] = server.ToString(), ["options"] = all };
        if (nameSpace is not null)
        {
            command["namespace"] = nameSpace;
        }

        client.ConnectResult = (JObject)await driver.RunAsync(command);
        return client;
    }

    /// <summary>As <see cref="OpenAsync"/>, and asserts the socket connected.</summary>
    public static async Task<V5Client> ConnectAsync(NodeClientDriver driver, Uri server, string[]? transports = null, JObject? auth = null,
        string? nameSpace = null, JObject? options = null)
    {
        var client = await OpenAsync(driver, server, transports, auth, nameSpace, options);
        Assert.True(client.Connected, $"{client.Name} did not connect: {client.ConnectResult}");
        return client;
    }

    public static JObject Bytes(params byte[] bytes) => new() { ["$bytes"] = Convert.ToBase64String(bytes) };

    /// <summary><c>socket.emit(event, ...args)</c> without an ack.</summary>
    public Task EmitAsync(string eventName, params JToken[] args) =>
        driver.RunAsync(new JObject { ["op"] = "emit", ["client"] = Name, ["event"] = eventName, ["args"] = new JArray(args) });

    /// <summary><c>socket.timeout(ms).emit(event, ...args, (err, ...answer) => …)</c>: the ack's arguments.</summary>
    public async Task<JArray> EmitWithAckAsync(string eventName, params JToken[] args) =>
        (JArray)await driver.RunAsync(new JObject { ["op"] = "emitAck", ["client"] = Name, ["event"] = eventName, ["args"] = new JArray(args) });

    /// <summary><c>socket.send(...args)</c> (the event "message").</summary>
    public Task SendAsync(params JToken[] args) =>
        driver.RunAsync(new JObject { ["op"] = "send", ["client"] = Name, ["args"] = new JArray(args) });

    /// <summary>How this client answers the server's acks of <paramref name="eventName"/> (default: it echoes the arguments).</summary>
    public Task ReplyAsync(string eventName, params JToken[] args) =>
        driver.RunAsync(new JObject { ["op"] = "reply", ["client"] = Name, ["event"] = eventName, ["args"] = new JArray(args) });

    /// <summary>Waits for <paramref name="count"/> recorded events named <paramref name="eventName"/>; returns them all:
    /// <c>[{"name", "args": [...], "ack": bool}]</c>.</summary>
    public async Task<JArray> WaitForAsync(string eventName, int count = 1) =>
        (JArray)await driver.RunAsync(new JObject { ["op"] = "waitFor", ["client"] = Name, ["name"] = eventName, ["count"] = count });

    /// <summary>The arguments of the first <paramref name="eventName"/> event, once it arrived.</summary>
    public async Task<JArray> FirstArgsAsync(string eventName) => (JArray)(await WaitForAsync(eventName))[0]["args"]!;

    public async Task<JArray> EventsAsync() => (JArray)await driver.RunAsync(new JObject { ["op"] = "events", ["client"] = Name });

    /// <summary>The names of every recorded event, in order.</summary>
    public async Task<IReadOnlyList<string>> EventNamesAsync() => (await EventsAsync()).Select(e => e.Value<string>("name")!).ToList();

    /// <summary><c>{connected, id, recovered, transport, active}</c>.</summary>
    public async Task<JObject> StateAsync() => (JObject)await driver.RunAsync(new JObject { ["op"] = "state", ["client"] = Name });

    /// <summary>Waits until the socket is connected (or not) and, when given, on <paramref name="transport"/>.</summary>
    public async Task<JObject> WaitStateAsync(bool connected, string? transport = null) =>
        (JObject)await driver.RunAsync(new JObject { ["op"] = "waitState", ["client"] = Name, ["connected"] = connected, ["transport"] = transport });

    /// <summary><c>socket.connect()</c>: connects again after a disconnect (with the recovery id when it has one).</summary>
    public Task ReconnectAsync() => driver.RunAsync(new JObject { ["op"] = "reconnect", ["client"] = Name });

    /// <summary><c>socket.disconnect()</c>.</summary>
    public Task DisconnectAsync() => driver.RunAsync(new JObject { ["op"] = "disconnect", ["client"] = Name });
}
