using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// A real Kestrel <see cref="WebApplication"/> on 127.0.0.1 with a port the OS picks. One set for both test
/// projects: <c>TestApp</c> starts its apps through it, and SocketIoChannels.BrowserTests compiles this file
/// too (linked).
/// </summary>
public sealed class KestrelTestServer : IAsyncDisposable
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);
    private readonly WebApplication app;
    private int stopRequested;

    private KestrelTestServer(WebApplication app, LogCollector logs, Uri baseAddress)
    {
        this.app = app;
        Logs = logs;
        BaseAddress = baseAddress;
    }

    /// <summary>For example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public IServiceProvider Services => app.Services;

    public LogCollector Logs { get; }

    /// <summary>Builds and starts an app with the default builder (content root: the test output, environment
    /// Development), its logs kept in <see cref="Logs"/>.</summary>
    public static async Task<KestrelTestServer> StartAsync(Action<WebApplicationBuilder> configureBuilder, Action<WebApplication> configureApp)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(KestrelTestServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Development",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        var logs = new LogCollector(capacity: 20_000);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Logging.AddFilter("SocketIoChannels", LogLevel.Trace);

        configureBuilder(builder);
        var app = builder.Build();
        configureApp(app);
        return await StartAsync(app, logs);
    }

    /// <summary>Starts an app built elsewhere (the chat demo, a <c>TestApp</c>) whose logs go to <paramref name="logs"/>.
    /// It must listen on <c>http://127.0.0.1:0</c>.</summary>
    public static async Task<KestrelTestServer> StartAsync(WebApplication app, LogCollector logs)
    {
        await app.StartAsync().WithTimeout();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without reporting its address.");
        var uri = new Uri(address.EndsWith('/') ? address : address + "/");
        if (uri.Port == 0)
        {
            throw new InvalidOperationException($"Kestrel reported port 0 ({address}).");
        }

        return new KestrelTestServer(app, logs, uri);
    }

    /// <summary>Stops the app, failing with a <see cref="TimeoutException"/> when it takes longer than <paramref name="limit"/>.</summary>
    public Task StopAsync(TimeSpan limit)
    {
        Interlocked.Exchange(ref stopRequested, 1);
        return app.StopAsync().WithTimeout(limit);
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref stopRequested) == 0)
        {
            try
            {
                await StopAsync(DisposeTimeout);
            }
            catch (TimeoutException)
            {
                // A stuck long poll must not hang the test run; the process ends after the run anyway.
            }
        }

        await app.DisposeAsync().WithTimeout(DisposeTimeout);
    }
}
