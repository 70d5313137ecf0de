using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Sessions;

/// <summary>The one periodic loop that drives heartbeats, poll durations and expiry of all sessions.</summary>
internal sealed partial class SessionSweeper
{
    private readonly SessionStore store;
    private readonly ILogger<SessionSweeper> logger;

    public SessionSweeper(SessionStore store, ILogger<SessionSweeper> logger)
    {
        this.store = store;
        this.logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(store.Timings.SweepInterval, store.Timings.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await store.SweepAsync(cancellationToken).ConfigureAwait(false);
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
