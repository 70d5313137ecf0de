using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketIoChannels.StackExchangeRedis;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>The Redis package's seams: only the core's public contract, and options that fail clearly.</summary>
public sealed class RedisPackageTests
{
    [Fact]
    public void TheRedisPackageSeesOnlyTheCoresPublicContract()
    {
        var friends = typeof(ISocket).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName);
        Assert.DoesNotContain(typeof(RedisBackplaneOptions).Assembly.GetName().Name, friends);
    }

    [Fact]
    public void OptionsWithoutAnEndpointFailWithAClearMessage()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSocketIoChannels().AddStackExchangeRedis(options => options.ChannelPrefix = "x:");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value);
        Assert.Contains("at least one endpoint", error.Message);
    }

    [Fact]
    public void PresenceExpiryMustOutliveItsRefresh()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSocketIoChannels().AddStackExchangeRedis("localhost:1", options => options.PresenceExpiry = options.PresenceRefreshInterval);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value);
        Assert.Contains("PresenceExpiry", error.Message);
    }
}
