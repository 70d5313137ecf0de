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

    /// <summary>Waits until <paramref name="count"/> nodes listen on a backplane channel (<c>all</c>,
    /// <c>c:{channel}</c> or <c>n:{node}</c>), as Redis itself reports.</summary>
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
