using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketIoChannels.StackExchangeRedis;
using StackExchange.Redis;

namespace SocketIoChannels;

/// <summary>Adds the Redis backplane to SocketIoChannels.</summary>
public static class SocketIoChannelsRedisBuilderExtensions
{
    /// <summary>
    /// Scales SocketIoChannels out with Redis: every server (and every worker process that only sends) sharing
    /// the Redis at <paramref name="redisConnectionString"/> reaches the sessions of all the others.
    /// </summary>
    /// <param name="builder">From <c>AddSocketIoChannels()</c>.</param>
    /// <param name="redisConnectionString">A StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>.</param>
    /// <param name="configure">Further options: channel prefix, connection factory, presence timing.</param>
    /// <remarks>django-socketio had no equivalent: its state lived in one process, so a broadcast from another
    /// process raised NoSocket.</remarks>
    public static ISocketIoChannelsBuilder AddStackExchangeRedis(this ISocketIoChannelsBuilder builder, string redisConnectionString,
        Action<RedisBackplaneOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(redisConnectionString);
        return builder.AddStackExchangeRedis(options =>
        {
            options.Configuration = ConfigurationOptions.Parse(redisConnectionString);
            configure?.Invoke(options);
        });
    }

    /// <summary>Scales SocketIoChannels out with Redis, configured entirely by <paramref name="configure"/>
    /// (set <see cref="RedisBackplaneOptions.Configuration"/> or a connection factory).</summary>
    /// <remarks>django-socketio had no equivalent.</remarks>
    public static ISocketIoChannelsBuilder AddStackExchangeRedis(this ISocketIoChannelsBuilder builder, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddMetrics();
        builder.Services.Configure(configure);
        builder.Services.AddOptions<RedisBackplaneOptions>()
            .Validate(o => o.PresenceRefreshInterval > TimeSpan.Zero && o.PresenceExpiry > o.PresenceRefreshInterval,
                "RedisBackplaneOptions: PresenceExpiry must be longer than PresenceRefreshInterval, which must be positive.")
            .Validate(o => o.MaxPendingPublishes > 0, "RedisBackplaneOptions: MaxPendingPublishes must be positive.")
            .Validate(o => o.MaxMessageBytes > 0, "RedisBackplaneOptions: MaxMessageBytes must be positive.")
            .Validate(o => o.ChannelPrefix is not null, "RedisBackplaneOptions: ChannelPrefix must not be null.")
            .Validate(o => o.ConnectionFactory is not null || o.Configuration?.EndPoints.Count > 0,
                "RedisBackplaneOptions: set Configuration (with at least one endpoint, e.g. \"localhost:6379\") or ConnectionFactory.")
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ISocketIoBackplane, RedisBackplane>());
        return builder;
    }
}
