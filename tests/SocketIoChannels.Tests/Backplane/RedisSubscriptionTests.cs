using System.Reflection;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoChannels.StackExchangeRedis;
using SocketIoChannels.Tests.Infrastructure;
using StackExchange.Redis;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>A node's bus subscription must work, not only be confirmed: a node whose confirmed subscription carries
/// nothing subscribes again before it starts serving (seen under load: a node whose first SUBSCRIBE failed while its
/// subscription connection came up had a later one confirmed and still received nothing from the other servers), and
/// one whose subscription stopped carrying messages later subscribes again.</summary>
public sealed class RedisSubscriptionTests : IAsyncDisposable
{
    private readonly string prefix = TestRedis.UniquePrefix();
    private readonly List<ServiceProvider> containers = [];

    [Fact]
    public async Task ANodeWhoseConfirmedSubscriptionCarriesNothingSubscribesAgainBeforeItStarts()
    {
        var address = await TestRedis.AddressAsync();
        var sender = await StartAsync(address, "aaaaaaaa", deafFirst: false, new LogCollector());
        var logs = new LogCollector();
        var deaf = await StartAsync(address, "bbbbbbbb", deafFirst: true, logs);

        deaf.Backplane.SessionStarted();
        await deaf.Backplane.WhenInterestsPublishedAsync().DefaultTimeout();
        var frame = Encoding.UTF8.GetBytes("~m~5~m~hello");
        Assert.Equal(1, await sender.Backplane.PublishAsync(BackplaneMessage.ToAll(sender.Id, frame)).DefaultTimeout());
        await Eventually.TrueAsync(() => Task.FromResult(deaf.Received.Any(m => m.Frame.ToArray().SequenceEqual(frame))), "the node received the first message sent to it");

        // The first subscription Redis confirmed was to another channel (what a deaf one looks like from here): the
        // node saw that its probe did not come back, said so, and subscribed again before StartAsync returned.
        var warning = Assert.Single(logs.Entries, e => e.EventId.Id == 509);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("subscribing again", warning.Message);
    }

    [Fact]
    public async Task ANodeWhoseSubscriptionWasNotRenewedAfterAReconnectSubscribesAgainAndHearsTheOthers()
    {
        // A private redis-server: the test changes a user's permissions.
        await using var redis = await RedisServerProcess.StartAsync();
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Address + ",allowAdmin=true");
        var server = admin.GetDatabase();
        await server.ExecuteAsync("ACL", "SETUSER", "listener", "on", ">secret", "~*", "&*", "+@all").DefaultTimeout();
        var sender = await StartAsync(redis.Address, "aaaaaaaa", deafFirst: false, new LogCollector());
        var logs = new LogCollector();
        var listener = await StartAsync(redis.Address, "bbbbbbbb", deafFirst: false, logs, options =>
        {
            options.Configuration.User = "listener";
            options.Configuration.Password = "secret";

            // Without StackExchange.Redis's own configuration channel, the bus is the only channel its reconnect
            // subscribes to: a refused SUBSCRIBE is then the bus's.
            options.Configuration.ConfigurationChannel = string.Empty;
        });
        listener.Backplane.SessionStarted();
        await listener.Backplane.WhenInterestsPublishedAsync().DefaultTimeout();
        await SendUntilHeardAsync(sender, listener, "before", "the node received a message before its subscription was taken away");

        // Taking the user's channels away makes Redis drop the node's connections. StackExchange.Redis reconnects and
        // renews the subscription, which Redis refuses; then the channels come back. The node's subscription is gone
        // while everything on its side says it is there. (It sends the renewal twice after this reconnect, as
        // INFO commandstats shows: channels given back between the two would let the second one through.)
        await server.ExecuteAsync("ACL", "SETUSER", "listener", "resetchannels").DefaultTimeout();
        await Eventually.TrueAsync(async () => await RefusedSubscribesAsync(server) >= 2, "the renewed subscription was refused twice");
        await server.ExecuteAsync("ACL", "SETUSER", "listener", "allchannels").DefaultTimeout();

        await SendUntilHeardAsync(sender, listener, "after", "the node received a message after it had lost its subscription", TimeSpan.FromSeconds(30));
        Assert.True(logs.Entries.Any(e => e.EventId.Id == 511),
            "The node heard again without subscribing again. Its connections: " + string.Join(" | ", await ListenerClientsAsync(server)));
        var warning = Assert.Single(logs.Entries, e => e.EventId.Id == 511);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("subscribing again", warning.Message);
    }

    private static async Task<int> RefusedSubscribesAsync(IDatabase server)
    {
        var stats = ((string)(await server.ExecuteAsync("INFO", "commandstats").DefaultTimeout())!).Split('\n').SingleOrDefault(l => l.StartsWith("cmdstat_subscribe:", StringComparison.Ordinal));
        var rejected = stats is null ? null : System.Text.RegularExpressions.Regex.Match(stats, "rejected_calls=(\\d+)");
        return rejected is { Success: true } ? int.Parse(rejected.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static async Task<string[]> ListenerClientsAsync(IDatabase server) =>
        [.. ((string)(await server.ExecuteAsync("CLIENT", "LIST").DefaultTimeout())!).Split('\n').Where(c => c.Contains(" user=listener "))];

    // Sends one message after another (a message sent while the node cannot hear is lost) until the node has one.
    private static async Task SendUntilHeardAsync(BackplaneNode sender, BackplaneNode listener, string text, string what, TimeSpan? timeout = null)
    {
        var sent = 0;
        await Eventually.TrueAsync(async () =>
        {
            sender.Backplane.Publish(BackplaneMessage.ToAll(sender.Id, Encoding.UTF8.GetBytes($"~m~{text.Length + 4}~m~{text}{sent++:0000}")));
            await Task.Delay(100);
            return listener.Received.Any(m => Encoding.UTF8.GetString(m.Frame.Span).Contains(text, StringComparison.Ordinal));
        }, what, timeout);
    }

    private async Task<BackplaneNode> StartAsync(string address, string id, bool deafFirst, LogCollector logs, Action<RedisBackplaneOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSocketIoChannels().AddStackExchangeRedis(address, options =>
        {
            options.ChannelPrefix = prefix;
            options.PresenceRefreshInterval = TimeSpan.FromMilliseconds(500);
            options.PresenceExpiry = TimeSpan.FromSeconds(2);
            configure?.Invoke(options);
            if (deafFirst)
            {
                options.ConnectionFactory = async configuration =>
                    DecoyFirstSubscription.Wrap(await ConnectionMultiplexer.ConnectAsync(configuration), RedisChannel.Literal(prefix + "nowhere"));
            }
        });
        var container = services.BuildServiceProvider();
        containers.Add(container);
        var node = new BackplaneNode(id, container.GetRequiredService<ISocketIoBackplane>());
        await node.Backplane.StartAsync(id, node, CancellationToken.None).DefaultTimeout();
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in containers)
        {
            await container.DisposeAsync();
        }
    }

    /// <summary>A real connection whose subscriber turns its first SubscribeAsync into a subscription to another
    /// channel: Redis confirms it, and it carries nothing of the channel asked for.</summary>
    public class DecoyFirstSubscription : DispatchProxy
    {
        private object target = null!;
        private Func<MethodInfo, object?[]?, object?>? intercept;

        public static IConnectionMultiplexer Wrap(IConnectionMultiplexer connection, RedisChannel decoy)
        {
            var subscriber = Create<ISubscriber, DecoyFirstSubscription>();
            var subscriberProxy = (DecoyFirstSubscription)(object)subscriber;
            subscriberProxy.target = connection.GetSubscriber();
            var used = 0;
            subscriberProxy.intercept = (method, args) =>
                method.Name == nameof(ISubscriber.SubscribeAsync) && method.ReturnType == typeof(Task<ChannelMessageQueue>)
                    && Interlocked.Exchange(ref used, 1) == 0
                    ? method.Invoke(subscriberProxy.target, [decoy, .. args![1..]])
                    : method.Invoke(subscriberProxy.target, args);

            var multiplexer = Create<IConnectionMultiplexer, DecoyFirstSubscription>();
            var multiplexerProxy = (DecoyFirstSubscription)(object)multiplexer;
            multiplexerProxy.target = connection;
            multiplexerProxy.intercept = (method, args) => method.Name == nameof(IConnectionMultiplexer.GetSubscriber)
                ? subscriber
                : method.Invoke(connection, args);
            return multiplexer;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            try
            {
                return intercept!(targetMethod!, args);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                throw exception.InnerException;
            }
        }
    }
}
