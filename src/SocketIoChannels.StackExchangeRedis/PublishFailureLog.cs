using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>Counts failed publishes and logs them at Warning, at most once per 10 seconds with the number of
/// failures in between, so an outage cannot flood the logs.</summary>
internal sealed partial class PublishFailureLog
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Counter<long> failures;
    private long lastWarningAt = long.MinValue;
    private int suppressed;

    public PublishFailureLog(ILogger logger, IMeterFactory meterFactory, TimeProvider time)
    {
        this.logger = logger;
        this.time = time;
        var meter = meterFactory.Create(new MeterOptions("SocketIoChannels"));
        failures = meter.CreateCounter<long>("socketio.server.backplane.publish_failures", "{failure}",
            "Sends that could not be handed to the backplane (Redis unreachable, too slow, or too many pending).");
    }

    /// <summary>Counts and (rate-limited) logs the failure; returns it for the caller to throw.</summary>
    public Exception Failed(Exception exception)
    {
        failures.Add(1);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastWarningAt);
        if ((last == long.MinValue || time.GetElapsedTime(last, now) >= WarningInterval)
            && Interlocked.CompareExchange(ref lastWarningAt, now, last) == last)
        {
            LogPublishFailed(Interlocked.Exchange(ref suppressed, 0), exception.Message);
        }
        else
        {
            Interlocked.Increment(ref suppressed);
        }

        return exception;
    }

    // The reason is an exception message that may end with a period: it comes last, after the template's own.
    [LoggerMessage(500, LogLevel.Warning, "A send could not be published to Redis ({Suppressed} more failed since the last warning); sessions on this server still got it. Reason: {Reason}")]
    private partial void LogPublishFailed(int suppressed, string reason);
}
