using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>A real Kestrel app on 127.0.0.1 with a free port, for functional tests.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestApp(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => app.Services;

    public ISocketIoBroadcaster Broadcaster => app.Services.GetRequiredService<ISocketIoBroadcaster>();

    public LogCollector Logs => app.Services.GetRequiredService<LogCollector>();

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
        if (Environment.GetEnvironmentVariable("SOCKETIO_TEST_CONSOLE_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole();
        }

        builder.Services.AddSingleton<EventRecorder>();
        services?.Invoke(builder.Services);
        handlers(builder.Services.AddSocketIoChannels(options));
        var app = builder.Build();
        if (useMiddleware)
        {
            app.UseSocketIoChannels();
        }

        configureApp?.Invoke(app);
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address));
    }

    public Task StopAsync() => app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
