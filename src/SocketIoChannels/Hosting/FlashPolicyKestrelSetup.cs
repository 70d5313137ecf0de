using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Hosting;

/// <summary>When <see cref="SocketIoOptions.FlashPolicyOnHttpPort"/> is on (it is off by default), adds
/// <see cref="FlashPolicyConnectionMiddleware"/> to every Kestrel endpoint (through the endpoint defaults, so it also
/// applies to <c>--urls</c>, <c>ASPNETCORE_URLS</c> and configured endpoints). An app that sets its own
/// <c>ConfigureEndpointDefaults</c> after <c>AddSocketIoChannels</c> replaces it.</summary>
internal sealed class FlashPolicyKestrelSetup : IConfigureOptions<KestrelServerOptions>
{
    private readonly ILoggerFactory loggerFactory;
    private readonly IOptions<SocketIoOptions> socketIoOptions;

    public FlashPolicyKestrelSetup(ILoggerFactory loggerFactory, IOptions<SocketIoOptions> socketIoOptions)
    {
        this.loggerFactory = loggerFactory;
        this.socketIoOptions = socketIoOptions;
    }

    public void Configure(KestrelServerOptions options)
    {
        if (!socketIoOptions.Value.FlashPolicyOnHttpPort)
        {
            return;
        }

        var logger = loggerFactory.CreateLogger<FlashPolicyConnectionMiddleware>();
        options.ConfigureEndpointDefaults(listen =>
            listen.Use(next => new FlashPolicyConnectionMiddleware(next, options.Limits, logger).OnConnectionAsync));
    }
}
