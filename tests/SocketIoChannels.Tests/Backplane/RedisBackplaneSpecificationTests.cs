using Microsoft.Extensions.DependencyInjection;
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
        var services = new ServiceCollection().AddLogging();
        services.AddSocketIoChannels().AddStackExchangeRedis(address, options =>
        {
            options.ChannelPrefix = prefix;
            options.PresenceRefreshInterval = TimeSpan.FromMilliseconds(200);
            options.PresenceExpiry = TimeSpan.FromMilliseconds(600);
        });
        var container = services.BuildServiceProvider();
        containers.Add(container);
        return container.GetRequiredService<ISocketIoBackplane>();
    }

    protected override async Task KillAsync(ISocketIoBackplane backplane) => await ((IAsyncDisposable)backplane).DisposeAsync();
}
