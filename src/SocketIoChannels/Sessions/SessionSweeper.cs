using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Sessions;

/// <summary>The one periodic loop that drives heartbeats, poll durations and expiry of all sessions,
/// and the pings and timeouts of the Engine.IO sessions.</summary>
internal sealed partial class SessionSweeper
{
    private readonly SessionStore store;
    private readonly EngineIoSessionStore? engineIo;
    private readonly ILogger<SessionSweeper> logger;

    public SessionSweeper(SessionStore store, EngineIoSessionStore? engineIo, ILogger<SessionSweeper> logger)
    {
        this.store = store;
        this.engineIo = engineIo;
        this.logger = logger;
    }

    /// <summary>How often the sweep runs: often enough for the 0.6 timings and the Engine.IO ones.</summary>
    public TimeSpan Interval => engineIo is null || store.Timings.SweepInterval <= engineIo.Timings.SweepInterval
        ? store.Timings.SweepInterval
        : engineIo.Timings.SweepInterval;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, store.Timings.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // The two passes run side by side, each spread over at most half an interval.
                    var engineIoPass = engineIo?.SweepAsync(Interval, cancellationToken) ?? Task.CompletedTask;
                    await Task.WhenAll(store.SweepAsync(Interval, cancellationToken), engineIoPass).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSweepFailed(exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(210, LogLevel.Error, "The session sweep failed.")]
    private partial void LogSweepFailed(Exception exception);
}
