using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>The backplane specification against the Redis backplane and a real redis-server.</summary>
public sealed class RedisBackplaneSpecificationTests : BackplaneSpecification
{
    private readonly string prefix = TestRedis.UniquePrefix();
    private readonly List<ServiceProvider> containers = [];

    protected override async Task<ISocketIoBackplane> CreateBackplaneAsync()
    {
        var address = await TestRedis.AddressAsync();
        var services = new ServiceCollection().AddLogging(logging => logging.AddConsoleWhenAsked());
        services.AddSocketIoChannels().AddStackExchangeRedis(address, options =>
        {
            options.ChannelPrefix = prefix;
            // An idle node's presence lives on its refresh timer alone: on a loaded machine a 200 ms timer can slip
            // past a 600 ms expiry (one run saw a live node's subscriber missing from a count).
            options.PresenceRefreshInterval = TimeSpan.FromMilliseconds(250);
            options.PresenceExpiry = TimeSpan.FromMilliseconds(1500);
        });
        var container = services.BuildServiceProvider();
        containers.Add(container);
        return container.GetRequiredService<ISocketIoBackplane>();
    }

    protected override async Task KillAsync(ISocketIoBackplane backplane) => await ((IAsyncDisposable)backplane).DisposeAsync();
}
