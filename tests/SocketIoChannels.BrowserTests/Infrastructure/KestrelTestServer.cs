using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>A real Kestrel <see cref="WebApplication"/> on 127.0.0.1 with a port the OS picks.</summary>
public sealed class KestrelTestServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private KestrelTestServer(WebApplication app, InMemoryLoggerProvider logs, Uri baseAddress)
    {
        this.app = app;
        Logs = logs;
        BaseAddress = baseAddress;
    }

    /// <summary>For example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public IServiceProvider Services => app.Services;

    public InMemoryLoggerProvider Logs { get; }

    public static async Task<KestrelTestServer> StartAsync(Action<WebApplicationBuilder> configureBuilder, Action<WebApplication> configureApp)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(KestrelTestServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Development",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        var logs = new InMemoryLoggerProvider();
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

    /// <summary>Starts an app built elsewhere (the chat demo) whose logs go to <paramref name="logs"/>.</summary>
    public static async Task<KestrelTestServer> StartAsync(WebApplication app, InMemoryLoggerProvider logs)
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            await app.StopAsync().WithTimeout(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // A stuck long poll must not hang the test run; the process ends after the run anyway.
        }

        await app.DisposeAsync().WithTimeout(TimeSpan.FromSeconds(10));
    }
}
