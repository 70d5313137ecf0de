namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// Two v5 test servers (<see cref="V5TestServer"/>) on one Redis backplane (the redis-server of ./test.sh,
/// SOCKETIO_TEST_REDIS; fails, never skips, without it), with a channel prefix of their own, and the node driver.
/// </summary>
public sealed class V5RedisFixture : IAsyncLifetime
{
    public KestrelTestServer One { get; private set; } = null!;

    public KestrelTestServer Two { get; private set; } = null!;

    public NodeClientDriver Driver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var redis = Environment.GetEnvironmentVariable("SOCKETIO_TEST_REDIS") is { Length: > 0 } address
            ? address
            : throw new InvalidOperationException("SOCKETIO_TEST_REDIS is not set: run ./test.sh, or set it to a redis-server's host:port.");
        var prefix = "v5-redis-" + Guid.NewGuid().ToString("N")[..8] + ":";
        One = await V5TestServer.StartAsync(false, configureSocketIo: b => b.AddStackExchangeRedis(redis, o => o.ChannelPrefix = prefix));
        Two = await V5TestServer.StartAsync(false, configureSocketIo: b => b.AddStackExchangeRedis(redis, o => o.ChannelPrefix = prefix));
        Driver = await NodeClientDriver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Driver is not null)
        {
            await Driver.DisposeAsync();
        }

        if (One is not null)
        {
            await One.DisposeAsync();
        }

        if (Two is not null)
        {
            await Two.DisposeAsync();
        }
    }
}
