using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;
using StackExchange.Redis;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>Helpers for tests with several servers sharing one Redis: start a node, wait for its Redis
/// subscriptions, drive the socket API through <see cref="TestHandlers"/>.</summary>
public static class Cluster
{
    public static Task<TestApp> StartNodeAsync(string redis, string prefix, Action<IServiceCollection>? services = null) =>
        TestApp.StartAsync(
            handlers => handlers.AddEventHandler<TestHandlers>().AddStackExchangeRedis(redis, options =>
            {
                options.ChannelPrefix = prefix;
                options.Configuration.ConnectTimeout = 2000;
                options.Configuration.ReconnectRetryPolicy = new LinearRetry(250);
                options.PresenceRefreshInterval = TimeSpan.FromMilliseconds(500);
                options.PresenceExpiry = TimeSpan.FromSeconds(2);
            }),
            services: services);

    /// <summary>Waits until <paramref name="count"/> nodes listen on a backplane channel (<c>bus</c>), as Redis
    /// itself reports.</summary>
    public static async Task WaitForListenersAsync(string redis, string prefix, string name, long count)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis).DefaultTimeout();
        var database = connection.GetDatabase();
        await Eventually.TrueAsync(async () =>
        {
            var result = (RedisResult[])(await database.ExecuteAsync("PUBSUB", "NUMSUB", prefix + name))!;
            return (long)result[1] == count;
        }, $"{count} nodes listening on {prefix}{name}");
    }

    /// <summary>Waits until <paramref name="node"/> counts <paramref name="count"/> subscribers of
    /// <paramref name="channel"/> across the cluster (its own, and the others' presence in Redis).</summary>
    public static Task WaitForSubscribersAsync(TestApp node, string channel, int count) =>
        Eventually.TrueAsync(async () => await node.Broadcaster.CountSubscribersAsync(channel) == count,
            $"{count} subscribers of {channel} across the cluster");

    /// <summary>Waits until <paramref name="node"/> knows, without I/O (what its synchronous sends use), of
    /// <paramref name="count"/> other servers with a subscriber of <paramref name="channel"/>.</summary>
    public static Task WaitForKnownSubscriberNodesAsync(TestApp node, string channel, int count) =>
        Eventually.TrueAsync(() => Task.FromResult(node.Services.GetRequiredService<ISocketIoBackplane>()
                .CountKnownRecipientNodes(BackplaneMessage.ToChannel("00000000", channel, Array.Empty<byte>())) == count),
            $"{count} other servers known with a subscriber of {channel}");

    /// <summary>Waits until <paramref name="node"/> knows, without I/O, of <paramref name="count"/> other servers
    /// with sessions.</summary>
    public static Task WaitForKnownSessionNodesAsync(TestApp node, int count) =>
        Eventually.TrueAsync(() => Task.FromResult(node.Services.GetRequiredService<ISocketIoBackplane>()
                .CountKnownRecipientNodes(BackplaneMessage.ToAll("00000000", Array.Empty<byte>())) == count),
            $"{count} other servers known with sessions");

    public static Task CommandAsync(SocketIoTestClient client, string action, string payload, string? channel = null) =>
        client.SendAsync(new JObject { ["action"] = action, ["payload"] = payload, ["channel"] = channel });

    /// <summary>Asserts the next message the client gets is <paramref name="expected"/> (as text or a JSON
    /// string).</summary>
    public static async Task ExpectAsync(SocketIoTestClient client, string expected)
    {
        var message = await client.ReceiveAsync();
        Assert.Equal(expected, message.IsJson ? message.Json.ToObject<string>() : message.Text);
    }

    public static async Task ExpectEachAsync(string expected, params SocketIoTestClient[] clients)
    {
        foreach (var client in clients)
        {
            await ExpectAsync(client, expected);
        }
    }
}
