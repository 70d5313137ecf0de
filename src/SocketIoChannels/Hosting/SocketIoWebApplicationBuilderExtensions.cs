using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketIoChannels.Hosting;

namespace SocketIoChannels;

/// <summary>The run command: where the app listens, chosen from the command line as django-socketio's
/// <c>runserver_socketio [addrport]</c>.</summary>
public static class SocketIoWebApplicationBuilderExtensions
{
    /// <summary>The configuration key of the host the app binds when no address is given (default <c>127.0.0.1</c>).</summary>
    public const string HostKey = "SocketIo:Host";

    /// <summary>The configuration key of the port the app binds when no address is given (default <c>9000</c>).</summary>
    public const string PortKey = "SocketIo:Port";

    /// <summary>
    /// Chooses the address Kestrel listens on and prints <c>SocketIoChannels running on http://host:port</c> once
    /// the app has started. In order of precedence: an optional positional argument in <paramref name="args"/>
    /// (<c>port</c>, <c>ipv4:port</c>, <c>[ipv6]:port</c> or <c>host:port</c>; a bare port binds
    /// <c>SocketIo:Host</c>); then <c>--urls</c> / <c>ASPNETCORE_URLS</c> (the <c>urls</c> setting), left as they
    /// are; then the configuration keys <c>SocketIo:Host</c> and <c>SocketIo:Port</c>, 127.0.0.1 and 9000 by
    /// default. Port 0 binds a free port. Other arguments (<c>--key value</c>, <c>key=value</c>) are left to
    /// configuration.
    /// </summary>
    /// <remarks>django-socketio: <c>manage.py runserver_socketio [addrport]</c> with the <c>SOCKETIO_HOST</c> and
    /// <c>SOCKETIO_PORT</c> settings.</remarks>
    /// <param name="builder">The app's builder.</param>
    /// <param name="args">The program's arguments, as passed to <c>Main</c>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="FormatException">The address is not valid, e.g.
    /// <c>"x" is not a valid port number or address:port pair.</c>, or more than one positional argument was
    /// given.</exception>
    public static WebApplicationBuilder UseSocketIoAddress(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(args);
        var configured = SocketIoAddress.FromConfiguration(builder.Configuration[HostKey], builder.Configuration[PortKey]);
        var addrport = SocketIoCommandLine.FindAddrPort(args);
        if (addrport is not null)
        {
            builder.WebHost.UseUrls(SocketIoAddress.Parse(addrport, configured.Host).Url);
        }
        else if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(configured.Url);
        }

        builder.Services.TryAddSingleton(new RunBannerOutput(Console.Out));
        builder.Services.AddHostedService<RunBanner>();
        return builder;
    }
}
