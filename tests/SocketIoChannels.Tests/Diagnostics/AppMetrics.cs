using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Diagnostics;

/// <summary>Collects every instrument of the SocketIoChannels meter of one test app (the app's own
/// <see cref="IMeterFactory"/>, so tests running in parallel never see each other's measurements).</summary>
public sealed class AppMetrics : IDisposable
{
    public AppMetrics(TestApp app)
    {
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        ActiveSessions = new(factory, "SocketIoChannels", "socketio.server.active_sessions");
        SessionDuration = new(factory, "SocketIoChannels", "socketio.server.session.duration");
        Messages = new(factory, "SocketIoChannels", "socketio.server.messages");
        Subscriptions = new(factory, "SocketIoChannels", "socketio.server.channel.subscriptions");
        Deliveries = new(factory, "SocketIoChannels", "socketio.server.deliveries");
        DroppedSessions = new(factory, "SocketIoChannels", "socketio.server.dropped_sessions");
    }

    public MetricCollector<long> ActiveSessions { get; }

    public MetricCollector<double> SessionDuration { get; }

    public MetricCollector<long> Messages { get; }

    public MetricCollector<long> Subscriptions { get; }

    public MetricCollector<long> Deliveries { get; }

    public MetricCollector<long> DroppedSessions { get; }

    /// <summary>The sum of the measurements that carry the given tag values.</summary>
    public static long Sum(MetricCollector<long> collector, params (string Key, object Value)[] tags) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var value) && Equals(value, t.Value)))
            .Sum(m => m.Value);

    /// <summary>Waits until <paramref name="condition"/> holds; metrics are recorded on the server's threads, a moment
    /// after the client saw the effect.</summary>
    public static async Task UntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Never true: " + describe());
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        ActiveSessions.Dispose();
        SessionDuration.Dispose();
        Messages.Dispose();
        Subscriptions.Dispose();
        Deliveries.Dispose();
        DroppedSessions.Dispose();
    }
}
