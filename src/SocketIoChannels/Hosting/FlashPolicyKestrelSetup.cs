using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Hosting;

/// <summary>Adds <see cref="FlashPolicyConnectionMiddleware"/> to every Kestrel endpoint (through the endpoint
/// defaults, so it also applies to <c>--urls</c>, <c>ASPNETCORE_URLS</c> and configured endpoints). An app that
/// sets its own <c>ConfigureEndpointDefaults</c> after <c>AddSocketIoChannels</c> replaces it.</summary>
internal sealed class FlashPolicyKestrelSetup : IConfigureOptions<KestrelServerOptions>
{
    private readonly ILoggerFactory loggerFactory;

    public FlashPolicyKestrelSetup(ILoggerFactory loggerFactory)
    {
        this.loggerFactory = loggerFactory;
    }

    public void Configure(KestrelServerOptions options)
    {
        var logger = loggerFactory.CreateLogger<FlashPolicyConnectionMiddleware>();
        options.ConfigureEndpointDefaults(listen =>
            listen.Use(next => new FlashPolicyConnectionMiddleware(next, options.Limits, logger).OnConnectionAsync));
    }
}
