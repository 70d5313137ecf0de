namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// The redis-server the tests share. Rule: SOCKETIO_TEST_REDIS (host:port, set by ./test.sh) wins. When it is
/// missing under CI (CI set) or under ./test.sh (SOCKETIO_TEST_SH set), every Redis test fails. Otherwise (a
/// developer running <c>dotnet test</c> directly) one private redis-server from PATH is started for the test run.
/// Tests never skip.
/// </summary>
public static class TestRedis
{
    private static readonly Lazy<Task<string>> Shared = new(ResolveAsync);
    private static RedisServerProcess? privateServer;

    public static Task<string> AddressAsync() => Shared.Value;

    /// <summary>A key and channel prefix no other test uses.</summary>
    public static string UniquePrefix() => "test-" + Guid.NewGuid().ToString("N")[..12] + ":";

    private static async Task<string> ResolveAsync()
    {
        var configured = Environment.GetEnvironmentVariable("SOCKETIO_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var ci = Environment.GetEnvironmentVariable("CI");
        if ((!string.IsNullOrEmpty(ci) && !ci.Equals("false", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SOCKETIO_TEST_SH")))
        {
            throw new InvalidOperationException(
                "SOCKETIO_TEST_REDIS is not set: under CI and ./test.sh the Redis tests need the redis-server that ./test.sh starts.");
        }

        privateServer = await RedisServerProcess.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => privateServer.StopAsync().Wait(TimeSpan.FromSeconds(5));
        return privateServer.Address;
    }
}
