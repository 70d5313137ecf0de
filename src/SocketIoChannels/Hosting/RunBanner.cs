using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace SocketIoChannels.Hosting;

/// <summary>Prints <c>SocketIoChannels running on http://host:port</c> for each address Kestrel bound, once the
/// app has started (so a requested port 0 shows the port the system chose).</summary>
internal sealed class RunBanner(IServer server, IHostApplicationLifetime lifetime, RunBannerOutput output) : IHostedService
{
    public const string Prefix = "SocketIoChannels running on ";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var text = string.Concat(addresses.Select(a => Prefix + a.TrimEnd('/') + Environment.NewLine));
            output.Writer.Write(Environment.NewLine + text + Environment.NewLine);
            output.Writer.Flush();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
