using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>
/// The opt-in settings of the .NET servers that live in code, from <c>BENCH_TUNE</c> (comma-separated; unset: the
/// defaults an app gets): <c>noserverheader</c> (KestrelServerOptions.AddServerHeader = false),
/// <c>nohostingdiagnostics</c> (log level None for Microsoft.AspNetCore.Hosting.Diagnostics: no log scope and no
/// Activity per request while nothing else listens), <c>inlinescheduling</c>
/// (SocketTransportOptions.UnsafePreferInlineScheduling), <c>ioqueues=N</c> (SocketTransportOptions.IOQueueCount).
/// Runtime settings (GC mode, inline socket completions, tiering) are environment variables the orchestrator sets.
/// </summary>
internal static class ServerTuning
{
    public static void Apply(WebApplicationBuilder builder)
    {
        var flags = (Environment.GetEnvironmentVariable("BENCH_TUNE") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var flag in flags)
        {
            switch (flag.Split('=')[0])
            {
                case "noserverheader":
                    builder.Services.Configure<KestrelServerOptions>(options => options.AddServerHeader = false);
                    break;
                case "nohostingdiagnostics":
                    builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
                    break;
                case "inlinescheduling":
                    builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
                    break;
                case "ioqueues":
                    var count = int.Parse(flag.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
                    builder.Services.Configure<SocketTransportOptions>(options => options.IOQueueCount = count);
                    break;
                default:
                    throw new ArgumentException("unknown BENCH_TUNE flag: " + flag);
            }
        }

        if (flags.Length > 0)
        {
            Console.Error.WriteLine("server tuning: " + string.Join(", ", flags));
        }
    }
}
