using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>A real Kestrel app on 127.0.0.1 with a free port running SocketIoChannels with the given handlers and
/// options, for functional tests (started through <see cref="KestrelTestServer"/>).</summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly KestrelTestServer server;

    private TestApp(KestrelTestServer server)
    {
        this.server = server;
    }

    public Uri Address => server.BaseAddress;

    public IServiceProvider Services => server.Services;

    public ISocketIoBroadcaster Broadcaster => Services.GetRequiredService<ISocketIoBroadcaster>();

    public LogCollector Logs => server.Logs;

    public static async Task<TestApp> StartAsync(
        Action<ISocketIoChannelsBuilder> handlers,
        Action<SocketIoOptions>? options = null,
        Action<WebApplication>? configureApp = null,
        Action<IServiceCollection>? services = null,
        bool useMiddleware = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var collector = new LogCollector();
        builder.Services.AddSingleton(collector);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(collector);
        builder.Logging.AddConsoleWhenAsked();

        builder.Services.AddSingleton<EventRecorder>();
        services?.Invoke(builder.Services);
        handlers(builder.Services.AddSocketIoChannels(options));
        var app = builder.Build();
        if (useMiddleware)
        {
            app.UseSocketIoChannels();
        }

        configureApp?.Invoke(app);
        return new TestApp(await KestrelTestServer.StartAsync(app, collector));
    }

    public Task StopAsync() => server.StopAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
