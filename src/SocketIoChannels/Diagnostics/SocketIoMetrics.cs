using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SocketIoChannels.Diagnostics;

/// <summary>
/// The instruments of the <c>SocketIoChannels</c> meter, named in the style of ASP.NET Core's own meters
/// (<c>signalr.server.active_connections</c>, <c>signalr.server.connection.duration</c>). One instance per service
/// provider, its meter created through <see cref="IMeterFactory"/> so that each app (and each test host) has its own.
/// Callers add once per batch (a broadcast, a written poll), never once per recipient, and every method returns at
/// once when no listener enabled the instrument.
/// </summary>
internal sealed class SocketIoMetrics
{
    /// <summary>The name of the meter (and of the activity source): what <c>dotnet-counters</c> and OpenTelemetry's
    /// <c>AddMeter</c> take.</summary>
    public const string MeterName = "SocketIoChannels";

    public const string TransportTag = "socketio.transport";
    public const string CloseReasonTag = "socketio.session.close_reason";
    public const string DirectionTag = "socketio.message.direction";

    // The buckets ASP.NET Core advises for signalr.server.connection.duration: sessions last from milliseconds to hours.
    private static readonly IReadOnlyList<double> DurationBuckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    private readonly UpDownCounter<long> activeSessions;
    private readonly Histogram<double> sessionDuration;
    private readonly Counter<long> messages;
    private readonly UpDownCounter<long> subscriptions;
    private readonly Counter<long> deliveries;
    private readonly Counter<long> droppedSessions;

    public SocketIoMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        activeSessions = meter.CreateUpDownCounter<long>(
            "socketio.server.active_sessions",
            unit: "{session}",
            description: "Number of sessions that are currently active on the server.");
        sessionDuration = meter.CreateHistogram(
            "socketio.server.session.duration",
            unit: "s",
            description: "The duration of sessions on the server.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        messages = meter.CreateCounter<long>(
            "socketio.server.messages",
            unit: "{message}",
            description: "Socket.IO frames received from clients (in) and written to clients (out).");
        subscriptions = meter.CreateUpDownCounter<long>(
            "socketio.server.channel.subscriptions",
            unit: "{subscription}",
            description: "Number of channel subscriptions (a session in a channel) currently on the server.");
        deliveries = meter.CreateCounter<long>(
            "socketio.server.deliveries",
            unit: "{delivery}",
            description: "Frames queued for sessions by sends and broadcasts: one per recipient.");
        droppedSessions = meter.CreateCounter<long>(
            "socketio.server.dropped_sessions",
            unit: "{session}",
            description: "Sessions disconnected as slow consumers because their outbound queue was full.");
    }

    public void SessionStarted(string transport)
    {
        if (activeSessions.Enabled)
        {
            activeSessions.Add(1, new KeyValuePair<string, object?>(TransportTag, transport));
        }
    }

    /// <summary>A session ended; <paramref name="reason"/> is the close reason tag value (snake_case).</summary>
    public void SessionEnded(string transport, string reason, TimeSpan duration)
    {
        if (activeSessions.Enabled)
        {
            activeSessions.Add(-1, new KeyValuePair<string, object?>(TransportTag, transport));
        }

        if (sessionDuration.Enabled)
        {
            var tags = new TagList
            {
                { TransportTag, transport },
                { CloseReasonTag, reason },
            };
            sessionDuration.Record(duration.TotalSeconds, tags);
        }
    }

    /// <summary>Client commands (message, subscribe, unsubscribe) taken by the session loop.</summary>
    public void MessagesReceived(string transport, int count)
    {
        if (count > 0 && messages.Enabled)
        {
            messages.Add(count, new KeyValuePair<string, object?>(DirectionTag, "in"), new KeyValuePair<string, object?>(TransportTag, transport));
        }
    }

    /// <summary>Frames a transport wrote to a client connection (the session id frame and heartbeats included).</summary>
    public void MessagesSent(string transport, int count)
    {
        if (count > 0 && messages.Enabled)
        {
            messages.Add(count, new KeyValuePair<string, object?>(DirectionTag, "out"), new KeyValuePair<string, object?>(TransportTag, transport));
        }
    }

    public void Subscribed()
    {
        if (subscriptions.Enabled)
        {
            subscriptions.Add(1);
        }
    }

    public void Unsubscribed()
    {
        if (subscriptions.Enabled)
        {
            subscriptions.Add(-1);
        }
    }

    /// <summary>The result of one fan-out: how many sessions got the frame (once per broadcast, not per recipient).</summary>
    public void Delivered(int recipients)
    {
        if (recipients > 0 && deliveries.Enabled)
        {
            deliveries.Add(recipients);
        }
    }

    public void SessionDropped(string transport)
    {
        if (droppedSessions.Enabled)
        {
            droppedSessions.Add(1, new KeyValuePair<string, object?>(TransportTag, transport));
        }
    }
}
