using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Functional;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests;

/// <summary>
/// The README's 30-second example is real code: its handler class is ReadmeExample/ChatHandlers.cs, copied into
/// the README verbatim (checked here), and it behaves as the README says, over raw xhr-polling requests.
/// </summary>
// The README's endpoint uses the static Broadcaster, which follows the most recently started host: no other
// host may start while this runs.
[Collection(nameof(StaticBroadcasterCollection))]
public sealed partial class ReadmeExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void TheReadmeShowsTheExampleHandlerClassVerbatim()
    {
        var root = RepositoryRoot();
        var readme = Normalize(File.ReadAllText(Path.Combine(root, "README.md")));
        var handlers = Normalize(File.ReadAllText(Path.Combine(root, "tests", "SocketIoChannels.Tests", "ReadmeExample", "ChatHandlers.cs"))).Trim();

        Assert.True(readme.Contains("```csharp\n" + handlers + "\n```", StringComparison.Ordinal),
            "README.md must show tests/SocketIoChannels.Tests/ReadmeExample/ChatHandlers.cs verbatim in a ```csharp block.");

        // The Program.cs part of the example is not compiled; the app below makes the same calls.
        Assert.Contains("builder.Services.AddSocketIoChannels();", readme, StringComparison.Ordinal);
        Assert.Contains("app.UseSocketIoChannels();", readme, StringComparison.Ordinal);
        Assert.Contains(AnnounceLine, readme, StringComparison.Ordinal);
        Assert.Contains("socket.subscribe('room-42');", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReadmeExampleBehavesAsDescribed()
    {
        await using var app = await StartReadmeAppAsync();
        using var http = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(30) };

        // OnConnect: the first frame of a session is its id, then the handler's welcome.
        var alice = await RawPollingClient.ConnectAsync(http).WaitAsync(Timeout);
        var bob = await RawPollingClient.ConnectAsync(http).WaitAsync(Timeout);
        Assert.Matches("^[0-9a-f]{32}$", alice.SessionId);
        Assert.NotEqual(alice.SessionId, bob.SessionId);
        Assert.Equal("""{"action":"welcome","name":"anonymous"}""", await alice.NextJsonAsync().WaitAsync(Timeout));
        Assert.Equal("""{"action":"welcome","name":"anonymous"}""", await bob.NextJsonAsync().WaitAsync(Timeout));

        // OnSubscribe (bound to no channel, so it runs for every session): the others in the channel are told.
        await alice.PostAsync("~m~13~m~__subscribe__~m~7~m~room-42").WaitAsync(Timeout);
        // Sessions run concurrently: Alice's subscribe is handled to the end (her OnSubscribe has told the room)
        // before Bob's is sent. Counting her in the channel is not enough: the server joins her before OnSubscribe
        // runs, so Bob, joining in between, would hear of Alice too.
        await app.WaitForHandledAsync("subscribe: room-42", 1).WaitAsync(Timeout);
        await bob.PostAsync("~m~13~m~__subscribe__~m~7~m~room-42").WaitAsync(Timeout);
        Assert.Equal("""{"action":"joined","name":"anonymous"}""", await alice.NextJsonAsync().WaitAsync(Timeout));

        // OnMessage(channel: "^room-"): SendAndBroadcastChannel reaches the sender and the room; JSON stays JSON.
        await bob.PostAsync(Frame("""~j~{"text":"hi"}""")).WaitAsync(Timeout);
        const string Echo = """{"action":"message","name":"anonymous","message":{"text":"hi"}}""";
        Assert.Equal(Echo, await bob.NextJsonAsync().WaitAsync(Timeout));
        Assert.Equal(Echo, await alice.NextJsonAsync().WaitAsync(Timeout));

        // A session in no room-* channel: its message runs no handler. It is processed before its later
        // subscribe, so once the room hears of that subscribe the message would have arrived.
        var carol = await RawPollingClient.ConnectAsync(http).WaitAsync(Timeout);
        Assert.Equal("""{"action":"welcome","name":"anonymous"}""", await carol.NextJsonAsync().WaitAsync(Timeout));
        await carol.PostAsync(Frame("not in a room")).WaitAsync(Timeout);
        await carol.PostAsync("~m~13~m~__subscribe__~m~7~m~room-42").WaitAsync(Timeout);
        Assert.Equal("""{"action":"joined","name":"anonymous"}""", await alice.NextJsonAsync().WaitAsync(Timeout));
        Assert.Equal("""{"action":"joined","name":"anonymous"}""", await bob.NextJsonAsync().WaitAsync(Timeout));

        // The minimal API endpoint: Broadcaster.BroadcastChannel from outside any socket reaches the whole room.
        using (var answer = await http.PostAsync("/rooms/42/announce?text=hello", null).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("""{"sessions":3}""", await answer.Content.ReadAsStringAsync().WaitAsync(Timeout));
        }

        const string Announce = """{"action":"announce","text":"hello"}""";
        Assert.Equal(Announce, await alice.NextJsonAsync().WaitAsync(Timeout));
        Assert.Equal(Announce, await bob.NextJsonAsync().WaitAsync(Timeout));
        Assert.Equal(Announce, await carol.NextJsonAsync().WaitAsync(Timeout));

        // NoSocketException when no one is in the room.
        using (var empty = await http.PostAsync("/rooms/7/announce?text=hello", null).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
        }

        // Nothing else was sent: no echo of Carol's message anywhere.
        Assert.Empty(alice.Unread);
        Assert.Empty(bob.Unread);
        Assert.Empty(carol.Unread);
    }

    private const string AnnounceLine = """var sessions = Broadcaster.BroadcastChannel(new { action = "announce", text }, $"room-{id}");""";

    // The README's Program.cs, with a free port and the handler class added explicitly (the test host's entry
    // assembly is not this one).
    private static async Task<StartedApp> StartReadmeAppAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var logs = new LogCollector(); // the test reads the per-message log, written once an item's handlers ran
        builder.Logging.AddProvider(logs);
        builder.Services.AddSocketIoChannels().AddEventHandler<ReadmeExample.ChatHandlers>().AddEventHandler<ReadmeExample.MathHandlers>();
        var app = builder.Build();
        app.UseSocketIoChannels();
        app.MapPost("/rooms/{id:int}/announce", (int id, string text) =>
        {
            try
            {
                var sessions = Broadcaster.BroadcastChannel(new { action = "announce", text }, $"room-{id}");
                return Results.Ok(new { sessions });
            }
            catch (NoSocketException)
            {
                return Results.NotFound("No one is in that room.");
            }
        });

        await app.StartAsync().WaitAsync(Timeout);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StartedApp(app, new Uri(address), logs);
    }

    private static string Frame(string text) => $"~m~{text.Length}~m~{text}";

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SocketIoChannels.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No folder above " + AppContext.BaseDirectory + " holds SocketIoChannels.sln.");
    }

    private sealed class StartedApp(WebApplication app, Uri address, LogCollector logs) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        /// <summary>Waits for <paramref name="count"/> lines of the per-message log ending with "Socket.IO
        /// <paramref name="item"/>": the server writes one after the handlers of an item have run.</summary>
        public async Task WaitForHandledAsync(string item, int count)
        {
            var ending = $"\"Socket.IO {item}\"";
            while (logs.Entries.Count(e => e.Category == "SocketIoChannels.MessageLog" && e.Message.EndsWith(ending, StringComparison.Ordinal)) < count)
            {
                await Task.Delay(10);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await app.DisposeAsync();
        }
    }

    /// <summary>The xhr-polling transport by hand: GET /socket.io/xhr-polling/{sid}/{timestamp} to receive,
    /// POST /socket.io/xhr-polling/{sid}/send with the form field data to send.</summary>
    private sealed partial class RawPollingClient
    {
        private readonly HttpClient http;
        private readonly Queue<string> inbox = new();
        private long timestamp = 1;

        private RawPollingClient(HttpClient http, string sessionId)
        {
            this.http = http;
            SessionId = sessionId;
        }

        public string SessionId { get; }

        /// <summary>Messages received but not read yet (the JSON ones without their ~j~).</summary>
        public IReadOnlyCollection<string> Unread => inbox;

        public static async Task<RawPollingClient> ConnectAsync(HttpClient http)
        {
            var body = await http.GetStringAsync("/socket.io/xhr-polling//1");
            var match = FirstFrame().Match(body);
            Assert.True(match.Success, "the handshake answer must start with ~m~32~m~<session id>: " + body);
            var client = new RawPollingClient(http, match.Groups[1].Value);
            client.Receive(body[match.Length..]); // OnConnect may already have queued its message
            return client;
        }

        public async Task PostAsync(string payload)
        {
            using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("data", payload)]);
            using var answer = await http.PostAsync($"/socket.io/xhr-polling/{SessionId}/send", content);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("ok", await answer.Content.ReadAsStringAsync());
        }

        /// <summary>The next JSON message, polling when none is waiting (heartbeats are skipped).</summary>
        public async Task<string> NextJsonAsync()
        {
            while (inbox.Count == 0)
            {
                var body = await http.GetStringAsync($"/socket.io/xhr-polling/{SessionId}/{Interlocked.Increment(ref timestamp)}");
                Receive(body);
            }

            var message = inbox.Dequeue();
            Assert.StartsWith("~j~", message, StringComparison.Ordinal);
            return JToken.Parse(message[3..]).ToString(Newtonsoft.Json.Formatting.None);
        }

        private void Receive(string payload)
        {
            var position = 0;
            while (position < payload.Length)
            {
                var match = FrameHeader().Match(payload, position);
                Assert.True(match.Success && match.Index == position, "bad framing: " + payload);
                var length = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var text = payload.Substring(position + match.Length, length);
                position += match.Length + length;
                if (!text.StartsWith("~h~", StringComparison.Ordinal))
                {
                    inbox.Enqueue(text);
                }
            }
        }

        [GeneratedRegex("^~m~32~m~([0-9a-f]{32})")]
        private static partial Regex FirstFrame();

        [GeneratedRegex(@"~m~(\d+)~m~")]
        private static partial Regex FrameHeader();
    }
}
