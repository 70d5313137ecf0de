using System.Text;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>
/// What every <see cref="ISocketIoBackplane"/> must do, run against each implementation (the in-memory fake and
/// Redis). Each test uses its own nodes (and, for Redis, its own channel prefix).
/// </summary>
public abstract class BackplaneSpecification : IAsyncDisposable
{
    private readonly List<BackplaneNode> nodes = [];

    /// <summary>A backplane that is not started yet.</summary>
    protected abstract Task<ISocketIoBackplane> CreateBackplaneAsync();

    /// <summary>Ends a node as a crash would: no cleanup.</summary>
    protected abstract Task KillAsync(ISocketIoBackplane backplane);

    protected async Task<BackplaneNode> StartNodeAsync()
    {
        var node = new BackplaneNode(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]), await CreateBackplaneAsync());
        await node.Backplane.StartAsync(node.Id, node, CancellationToken.None).DefaultTimeout();
        nodes.Add(node);
        return node;
    }

    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes($"~m~{text.Length}~m~{text}");

    /// <summary>Publishes (again) until the count reaches <paramref name="expected"/> and, when <paramref name="receiver"/>
    /// is given, until it has received one: interest declared on another node takes effect asynchronously, and so does
    /// a node's subscription when its first attempt failed on a loaded machine (StartAsync returns after that first
    /// attempt and the subscription is retried in the background), so a message published before it is not its.</summary>
    private static async Task PublishUntilAsync(BackplaneNode from, Func<BackplaneMessage> message, long expected, string what, (BackplaneNode Node, string Text)? receiver = null) =>
        await Eventually.TrueAsync(
            async () => await from.Backplane.PublishAsync(message()) == expected && (receiver is not { } r || r.Node.ReceivedWithText(r.Text).Length > 0),
            what);

    private static async Task<BackplaneMessage> ReceivedAsync(BackplaneNode node, string text)
    {
        await Eventually.TrueAsync(() => Task.FromResult(node.ReceivedWithText(text).Length > 0), $"node received {text}");
        return node.ReceivedWithText(text)[^1];
    }

    [Fact]
    public async Task AChannelMessageReachesOnlyNodesWithSubscribersAndIsCountedOncePerNode()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var c = await StartNodeAsync();
        b.Backplane.ActivateChannel("room");
        b.Backplane.ActivateChannel("room");
        a.Backplane.ActivateChannel("room"); // the sender listens too: it is not counted

        await PublishUntilAsync(a, () => BackplaneMessage.ToChannel(a.Id, "room", Frame("hello")), 1, "b subscribed to room", (b, "hello"));

        var received = await ReceivedAsync(b, "hello");
        Assert.Equal(BackplaneTarget.Channel, received.Target);
        Assert.Equal("room", received.Channel);
        Assert.Equal(a.Id, received.OriginNodeId);
        Assert.Equal(Frame("hello"), received.Frame.ToArray());
        GC.KeepAlive(c); // c has no subscriber: not counted (a backplane may still hand it the message)
    }

    [Fact]
    public async Task ChannelInterestIsCountedAndEndsWithTheLastSubscriber()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        b.Backplane.ActivateChannel("room");
        b.Backplane.ActivateChannel("room");
        await PublishUntilAsync(a, () => BackplaneMessage.ToChannel(a.Id, "room", Frame("x")), 1, "b subscribed");

        b.Backplane.DeactivateChannel("room");
        await Task.Delay(200);
        Assert.Equal(1, await a.Backplane.PublishAsync(BackplaneMessage.ToChannel(a.Id, "room", Frame("still"))).DefaultTimeout());

        b.Backplane.DeactivateChannel("room");
        await PublishUntilAsync(a, () => BackplaneMessage.ToChannel(a.Id, "room", Frame("gone")), 0, "b unsubscribed");
    }

    [Fact]
    public async Task MessagesToEveryoneReachNodesWhileTheyHaveSessions()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var idle = await StartNodeAsync();
        b.Backplane.SessionStarted();
        b.Backplane.SessionStarted();

        await PublishUntilAsync(a, () => BackplaneMessage.ToAll(a.Id, Frame("all")), 1, "b listens to everyone", (b, "all"));
        await ReceivedAsync(b, "all");
        GC.KeepAlive(idle); // not counted: no sessions

        b.Backplane.SessionEnded();
        b.Backplane.SessionEnded();
        await PublishUntilAsync(a, () => BackplaneMessage.ToAll(a.Id, Frame("none")), 0, "b has no sessions left");
    }

    [Fact]
    public async Task ASessionMessageReachesOnlyTheSessionsNode()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var c = await StartNodeAsync();
        b.Backplane.SessionStarted();
        c.Backplane.SessionStarted();
        var sessionId = b.Id + "0123456789abcdef0123456789ab";

        await PublishUntilAsync(a, () => BackplaneMessage.ToSession(a.Id, sessionId, b.Id, Frame("direct")), 1, "b listens for its sessions", (b, "direct"));

        var received = await ReceivedAsync(b, "direct");
        Assert.Equal(BackplaneTarget.Session, received.Target);
        Assert.Equal(sessionId, received.SessionId);
        GC.KeepAlive(c); // not counted: not the session's node
        Assert.Equal(0, await a.Backplane.PublishAsync(BackplaneMessage.ToSession(a.Id, "ffffffff0123456789abcdef01234567", "ffffffff", Frame("nobody")))
            .DefaultTimeout());
    }

    [Fact]
    public async Task ChannelsWhoseSubscribersSkipAMessageCrossTheBackplane()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        b.Backplane.ActivateChannel("second ☃");
        await PublishUntilAsync(a, () => BackplaneMessage.ToChannel(a.Id, "second ☃", Frame("skip ☃"), ["first", "zeroth ☃"]), 1, "b subscribed", (b, "skip ☃"));

        var received = await ReceivedAsync(b, "skip ☃");
        Assert.Equal("second ☃", received.Channel);
        Assert.Equal(["first", "zeroth ☃"], received.ExceptSubscribersOf);
    }

    [Fact]
    public async Task PresenceCountsTheSubscribersOfOtherLiveNodes()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var c = await StartNodeAsync();
        a.Backplane.ActivateChannel("room");
        b.Backplane.ActivateChannel("room");
        b.Backplane.ActivateChannel("room");
        c.Backplane.ActivateChannel("room");
        c.Backplane.ActivateChannel("other");

        await Eventually.TrueAsync(async () => await a.Backplane.CountRemoteSubscribersAsync("room") == 3, "a sees 3 remote subscribers");
        await Eventually.TrueAsync(async () => await b.Backplane.CountRemoteSubscribersAsync("room") == 2, "b sees a's and c's");
        Assert.Equal(0, await a.Backplane.CountRemoteSubscribersAsync("nobody").DefaultTimeout());

        await c.Backplane.StopAsync(CancellationToken.None).DefaultTimeout();
        await Eventually.TrueAsync(async () => await a.Backplane.CountRemoteSubscribersAsync("room") == 2, "a clean stop removes c's entries");
    }

    [Fact]
    public async Task PresenceOfANodeThatDiedExpires()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        b.Backplane.ActivateChannel("room");
        await Eventually.TrueAsync(async () => await a.Backplane.CountRemoteSubscribersAsync("room") == 1, "a sees b's subscriber");

        await KillAsync(b.Backplane);

        await Eventually.TrueAsync(async () => await a.Backplane.CountRemoteSubscribersAsync("room") == 0, "b's entries expired");
    }

    [Fact]
    public async Task AStartedBackplaneIsConnected()
    {
        var a = await StartNodeAsync();
        await Eventually.TrueAsync(() => Task.FromResult(a.Backplane.IsConnected), "connected");
    }

    /// <summary>Issue 12, item 11: whatever their targets, one node's messages reach another in the order they
    /// were published.</summary>
    [Fact]
    public async Task MessagesFromOneNodeArriveInTheOrderTheyWerePublishedWhateverTheirTargets()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        b.Backplane.SessionStarted();
        b.Backplane.ActivateChannel("one");
        b.Backplane.ActivateChannel("two");
        var sessionId = b.Id + "0123456789abcdef0123456789ab";
        var targets = new Func<string, BackplaneMessage>[]
        {
            text => BackplaneMessage.ToSession(a.Id, sessionId, b.Id, Frame(text)),
            text => BackplaneMessage.ToChannel(a.Id, "one", Frame(text)),
            text => BackplaneMessage.ToAll(a.Id, Frame(text)),
            text => BackplaneMessage.ToChannel(a.Id, "two", Frame(text)),
        };
        foreach (var target in targets)
        {
            await PublishUntilAsync(a, () => target("warm-up"), 1, "b listens to every target");
        }

        const int count = 400;
        var publishes = new List<Task<long>>();
        for (var i = 0; i < count; i++)
        {
            publishes.Add(a.Backplane.PublishAsync(targets[i % targets.Length]("n" + i)));
        }

        await Task.WhenAll(publishes).DefaultTimeout();
        await Eventually.TrueAsync(() => Task.FromResult(b.Received.Count(m => Text(m).StartsWith('n')) == count), "b received every message");
        var order = b.Received.Select(Text).Where(t => t.StartsWith('n')).Select(t => int.Parse(t[1..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, count), order);
    }

    /// <summary>Issue 12, item 14: the count does not depend on what the sending node itself subscribes to, even
    /// while that changes.</summary>
    [Fact]
    public async Task TheCountIsExactWhileTheSenderChangesItsOwnSubscriptions()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        b.Backplane.ActivateChannel("room");
        await PublishUntilAsync(a, () => BackplaneMessage.ToChannel(a.Id, "room", Frame("x")), 1, "b subscribed");

        using var stop = new CancellationTokenSource();
        var churn = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                a.Backplane.ActivateChannel("room");
                await Task.Yield();
                a.Backplane.DeactivateChannel("room");
                await Task.Yield();
            }
        });
        var counts = new List<long>();
        try
        {
            for (var i = 0; i < 300; i++)
            {
                counts.Add(await a.Backplane.PublishAsync(BackplaneMessage.ToChannel(a.Id, "room", Frame("c" + i))).DefaultTimeout());
            }
        }
        finally
        {
            await stop.CancelAsync();
            await churn.DefaultTimeout();
        }

        var wrong = counts.Select((c, i) => (c, i)).Where(p => p.c != 1).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {counts.Count} counts were not 1: " + string.Join(", ", wrong.Take(10).Select(p => $"#{p.i}={p.c}")));
    }

    private static string Text(BackplaneMessage message)
    {
        var frame = Encoding.UTF8.GetString(message.Frame.Span);
        return frame[(frame.IndexOf("~m~", 3, StringComparison.Ordinal) + 3)..];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            try
            {
                await node.Backplane.StopAsync(CancellationToken.None).DefaultTimeout();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        GC.SuppressFinalize(this);
    }
}
