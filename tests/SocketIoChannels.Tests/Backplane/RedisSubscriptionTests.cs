using System.Reflection;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Tests.Infrastructure;
using StackExchange.Redis;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>A node's bus subscription must work, not only be confirmed: a node whose confirmed subscription carries
/// nothing subscribes again before it starts serving (seen under load: a node whose first SUBSCRIBE failed while its
/// subscription connection came up had a later one confirmed and still received nothing from the other servers).</summary>
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

    private async Task<BackplaneNode> StartAsync(string address, string id, bool deafFirst, LogCollector logs)
    {
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSocketIoChannels().AddStackExchangeRedis(address, options =>
        {
            options.ChannelPrefix = prefix;
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
