using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Channels;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Events;
using SocketIoChannels.Hosting;
using SocketIoChannels.Server;
using SocketIoChannels.Sessions;
using SocketIoChannels.Transports;

namespace SocketIoChannels;

/// <summary>Registers SocketIoChannels in the service container.</summary>
public static class SocketIoChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Socket.IO server, its handlers and <see cref="ISocketIoBroadcaster"/>. Options come from the
    /// configuration section <c>SocketIo</c>, then <paramref name="configure"/>, and are validated at startup.
    /// </summary>
    /// <remarks>django-socketio: adding <c>django_socketio</c> to <c>INSTALLED_APPS</c>.</remarks>
    public static ISocketIoChannelsBuilder AddSocketIoChannels(this IServiceCollection services, Action<SocketIoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(HandlerSources))?.ImplementationInstance as HandlerSources;
        var sources = existing ?? new HandlerSources();
        var builder = new SocketIoChannelsBuilder(services, sources);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (existing is not null)
        {
            return builder;
        }

        services.AddSingleton(sources);
        services.AddOptions<SocketIoOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<SocketIoOptions>>(provider => new ConfigureNamedOptions<SocketIoOptions>(Options.DefaultName, options =>
        {
            provider.GetService<IConfiguration>()?.GetSection(SocketIoOptions.SectionName).Bind(options);
        }));
        services.AddSingleton<IValidateOptions<SocketIoOptions>, SocketIoOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<SocketIoMetrics>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SocketIoOptions>>().Value;
            return new SessionTimings(provider.GetRequiredService<TimeProvider>(), options.MaxQueuedFrames, options.HeartbeatInterval,
                options.HeartbeatTimeout, options.PollDuration, options.PollingCloseTimeout, options.WebSocketCloseTimeout)
            {
                Limits = new Protocol.InboundLimits(options.MaxFramesPerPayload, options.MaxChannelNameLength, options.MaxChannelsPerSession),
                MaxInboundChars = options.MaxQueuedInboundBytes,
                RecoveryWindow = (long)(options.ConnectionStateRecovery.MaxDisconnectionDuration.TotalSeconds * provider.GetRequiredService<TimeProvider>().TimestampFrequency),
            };
        });
        services.AddSingleton(provider =>
        {
            var recovery = provider.GetRequiredService<IOptions<SocketIoOptions>>().Value.ConnectionStateRecovery;
            return new RecoveryRecord(recovery.MaxDisconnectionDuration, recovery.MaxRecordedSends, provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SocketIoOptions>>().Value;
            return new EngineIoTimings(provider.GetRequiredService<TimeProvider>(), options.PingInterval, options.PingTimeout, options.ConnectTimeout,
                (int)options.MaxMessageSize, options.MaxQueuedFrames)
            {
                SubscribeEventName = options.SubscribeEventName,
                UnsubscribeEventName = options.UnsubscribeEventName,
            };
        });
        services.AddSingleton<EngineIoSessionStore>();
        services.AddSingleton<EngineIoPollingTransport>();
        services.AddSingleton<EngineIoWebSocketTransport>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionSweeper>();
        services.AddSingleton<ChannelRegistry<Session>>();
        services.AddSingleton<BackplaneLink>();
        services.AddSingleton<ChannelMembership>();
        services.AddSingleton<SocketIoBroadcaster>();
        services.AddSingleton<ISocketIoBroadcaster>(provider => provider.GetRequiredService<SocketIoBroadcaster>());
        services.AddSingleton(provider => new HandlerRegistry(provider.GetRequiredService<HandlerSources>(), provider.GetService<IServiceProviderIsService>()));
        services.AddSingleton<EventAuthorizer>();
        services.AddSingleton<EventDispatcher>();
        services.AddSingleton(provider => new MessageLog(
            provider.GetRequiredService<IOptions<SocketIoOptions>>().Value.MessageLogFormat,
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new SessionLoopSettings(provider.GetRequiredService<IOptions<SocketIoOptions>>().Value.CloseSessionOnHandlerError));
        services.AddSingleton<SocketIoServer>();
        services.AddSingleton<ClientScript>();
        foreach (var name in (string[])["websocket", "flashsocket"])
        {
            services.AddSingleton<ISocketIoTransport>(provider => new WebSocketTransport(name, provider.GetRequiredService<ILogger<WebSocketTransport>>()));
            services.AddSingleton<ISocketIoTransport>(provider => new HixieWebSocketTransport(name, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<HixieWebSocketTransport>>()));
        }

        services.AddSingleton<ISocketIoTransport, XhrPollingTransport>();
        services.AddSingleton<ISocketIoTransport, JsonpPollingTransport>();
        services.AddSingleton<ISocketIoTransport, HtmlFileTransport>();
        services.AddSingleton<ISocketIoTransport, XhrMultipartTransport>();
        services.AddSingleton<SocketIoRequestDispatcher>();
        services.AddHostedService<SocketIoHostedService>();
        services.AddTransient<IStartupFilter, ResponseBodyBypassStartupFilter>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, FlashPolicyKestrelSetup>();
        services.AddSingleton(provider => new FlashPolicyListener(
            provider.GetRequiredService<IOptions<SocketIoOptions>>().Value.FlashPolicyPort, provider.GetRequiredService<ILogger<FlashPolicyListener>>()));
        services.AddHostedService(provider => provider.GetRequiredService<FlashPolicyListener>());
        return builder;
    }
}
