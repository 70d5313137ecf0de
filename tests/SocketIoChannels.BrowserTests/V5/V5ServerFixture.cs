using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// One v5 test server and one node process of socket.io-client 4.8 for a test class. The server is ours
/// (<see cref="V5TestServer"/>), or node's socket.io 4.8 (<see cref="NodeReferenceServer"/>) when
/// SOCKETIO_V5_SERVER=node: the same suites then show what the reference implementation does.
/// </summary>
public class V5ServerFixture : IAsyncLifetime
{
    public const string ServerVariable = "SOCKETIO_V5_SERVER";
    private readonly bool recovery;
    private NodeReferenceServer? nodeServer;

    public V5ServerFixture()
        : this(recovery: false)
    {
    }

    protected V5ServerFixture(bool recovery) => this.recovery = recovery;

    /// <summary>True when the suites run against node's socket.io 4.8 instead of ours.</summary>
    public static bool AgainstNode => Environment.GetEnvironmentVariable(ServerVariable) == "node";

    public NodeClientDriver Driver { get; private set; } = null!;

    /// <summary>Ours; null when the suites run against node.</summary>
    public KestrelTestServer? Server { get; private set; }

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        if (AgainstNode && !NeedsOurServer)
        {
            nodeServer = await NodeReferenceServer.StartAsync(recovery);
            BaseAddress = nodeServer.BaseAddress;
        }
        else
        {
            Server = await V5TestServer.StartAsync(recovery, ConfigureApp);
            BaseAddress = Server.BaseAddress;
        }

        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        Driver = await NodeClientDriver.StartAsync();
    }

    /// <summary>True for fixtures that need our server whatever SOCKETIO_V5_SERVER says (pages, 0.6 clients).</summary>
    protected virtual bool NeedsOurServer => false;

    /// <summary>More endpoints on our server (test pages).</summary>
    protected virtual void ConfigureApp(Microsoft.AspNetCore.Builder.WebApplication app)
    {
    }

    /// <summary>Connects a socket.io-client 4.8 socket to this fixture's server (see <see cref="V5Client.OpenAsync"/>).</summary>
    public Task<V5Client> ConnectAsync(string[]? transports = null, JObject? auth = null, string? nameSpace = null, JObject? options = null) =>
        V5Client.ConnectAsync(Driver, BaseAddress, transports, auth, nameSpace, options);

    public Task<V5Client> OpenAsync(string[]? transports = null, JObject? auth = null, string? nameSpace = null, JObject? options = null) =>
        V5Client.OpenAsync(Driver, BaseAddress, transports, auth, nameSpace, options);

    /// <summary>POST /test/broadcast/{room}: the event "message" with <paramref name="message"/> to the room, out of band.</summary>
    public Task<int> BroadcastAsync(string room, JToken message) => PostAsync("test/broadcast/" + Uri.EscapeDataString(room), message);

    /// <summary>POST /test/drop/{tag}: the server ends the client's TCP connections without a word.</summary>
    public Task<int> DropAsync(V5Client client) => PostAsync("test/drop/" + Uri.EscapeDataString(client.Tag), new JObject());

    /// <summary>Waits until the server has no open request or WebSocket of <paramref name="client"/> left
    /// (GET /test/connections/{tag}): it has seen the connection end.</summary>
    public async Task WaitUntilDisconnectedAsync(V5Client client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        int open;
        while ((open = await GetCountAsync("test/connections/" + Uri.EscapeDataString(client.Tag))) != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the server still had {open} connection(s) of {client.Name} after 15 s");
            await Task.Delay(20).WithTimeout();
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (Driver is not null)
        {
            await Driver.DisposeAsync();
        }

        Http?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (nodeServer is not null)
        {
            await nodeServer.DisposeAsync();
        }
    }

    private async Task<int> GetCountAsync(string path)
    {
        using var response = await Http.GetAsync(path).WithTimeout();
        var text = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JObject.Parse(text).Value<int>("count");
    }

    private async Task<int> PostAsync(string path, JToken body)
    {
        using var content = new StringContent(body.ToString(Formatting.None), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(path, content).WithTimeout();
        var text = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JObject.Parse(text).Value<int>("receivers");
    }
}
