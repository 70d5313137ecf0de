using System.Diagnostics;
using System.Reflection;

namespace SocketIoChannels.Diagnostics;

/// <summary>
/// The <c>SocketIoChannels</c> activity source: one activity per dispatched event. Costs one check when nobody
/// listens (<see cref="ActivitySource.HasListeners"/>), as ASP.NET Core's own sources do.
/// </summary>
internal static class SocketIoActivitySource
{
    public const string EventActivityName = "SocketIoChannels.Event";
    public const string EventTag = "socketio.event";
    public const string ChannelTag = "socketio.channel";
    public const string SessionIdTag = "socketio.session.id";

    public static readonly ActivitySource Source = new(
        SocketIoMetrics.MeterName,
        typeof(SocketIoActivitySource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Starts the activity of one event, or returns <see langword="null"/> when nobody listens.</summary>
    /// <remarks>
    /// The session loop runs on a task started inside the HTTP request that created the session, so the ambient
    /// activity would be that request (for polling, one long finished). Events therefore start a trace of their own
    /// unless they run inside another event's activity (OnError runs inside the event whose handler threw).
    /// </remarks>
    public static Activity? StartEvent(string eventName, string sessionId, string transport, string? channel, IReadOnlyList<string>? sessionChannels)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var current = Activity.Current;
        if (current is not null && !ReferenceEquals(current.Source, Source))
        {
            Activity.Current = null; // the caller is an async method: this does not leak back to the loop
        }

        var activity = Source.StartActivity(EventActivityName, ActivityKind.Server);
        if (activity is null)
        {
            return null;
        }

        activity.DisplayName = "socketio " + eventName;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(EventTag, eventName);
            activity.SetTag(SessionIdTag, sessionId);
            activity.SetTag(SocketIoMetrics.TransportTag, transport);
            if (channel is not null)
            {
                activity.SetTag(ChannelTag, channel);
            }
            else if (sessionChannels is { Count: > 0 })
            {
                // A message belongs to the channels the session is in.
                activity.SetTag(ChannelTag, sessionChannels.Count == 1 ? sessionChannels[0] : string.Join(',', sessionChannels));
            }
        }

        return activity;
    }

    public static void SetError(Activity activity, Exception exception)
    {
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddException(exception);
    }
}
