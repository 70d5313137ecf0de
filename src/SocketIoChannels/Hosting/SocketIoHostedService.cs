using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Events;
using SocketIoChannels.Server;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Hosting;

/// <summary>Checks the handlers at startup, runs the session sweep, points the static <see cref="Broadcaster"/> at
/// this host, and on stop runs the teardown events of every live session.</summary>
internal sealed partial class SocketIoHostedService : IHostedLifecycleService
{
    private readonly SocketIoServer server;
    private readonly SessionSweeper sweeper;
    private readonly SocketIoBroadcaster broadcaster;
    private readonly HandlerRegistry handlers;
    private readonly EngineIoSessionStore engineIo;
    private readonly ILogger<SocketIoHostedService> logger;
    private readonly CancellationTokenSource stopping = new();
    private Task? sweep;

    public SocketIoHostedService(SocketIoServer server, SessionSweeper sweeper, SocketIoBroadcaster broadcaster, HandlerRegistry handlers,
        EngineIoSessionStore engineIo, ILogger<SocketIoHostedService> logger)
    {
        this.server = server;
        this.sweeper = sweeper;
        this.broadcaster = broadcaster;
        this.handlers = handlers;
        this.engineIo = engineIo;
        this.logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(handlers.Count);
        await broadcaster.Backplane.StartAsync(broadcaster, cancellationToken).ConfigureAwait(false);
        Broadcaster.Current = broadcaster;
        sweep = Task.Run(() => sweeper.RunAsync(stopping.Token), CancellationToken.None);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs before any hosted service stops, so sessions end while Kestrel still serves their
    /// connections: each gets its teardown events and a clean close.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await server.StopAsync(cancellationToken).ConfigureAwait(false);
        engineIo.EndAll(); // their sockets ended above; now their connections close
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
            engineIo.EndAll();
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            if (sweep is not null)
            {
                await sweep.ConfigureAwait(false);
            }

            Broadcaster.ClearIf(broadcaster);
            await broadcaster.Backplane.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(3, LogLevel.Debug, "SocketIoChannels started with {Count} event handlers.")]
    private partial void LogStarted(int count);
}
