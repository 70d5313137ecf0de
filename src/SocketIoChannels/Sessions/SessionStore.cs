using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Diagnostics;

namespace SocketIoChannels.Sessions;

/// <summary>The live sessions of this node by id. A session is removed as soon as it ends.</summary>
internal sealed partial class SessionStore : ISessionOwner
{
    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Session>.AlternateLookup<ReadOnlySpan<char>> byIdSpan;
    private readonly ILogger<SessionStore> logger;
    private readonly SocketIoMetrics metrics;

    public SessionStore(SessionTimings timings, SocketIoMetrics metrics, ILogger<SessionStore> logger)
    {
        Timings = timings;
        this.metrics = metrics;
        this.logger = logger;
        byIdSpan = sessions.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public SessionTimings Timings { get; }

    public int Count => sessions.Count;

    /// <summary>The start of every new session id (this node's id when a backplane is configured).</summary>
    public string? IdPrefix { get; set; }

    /// <summary>Raised after a session ended and left the store.</summary>
    public event Action<Session>? Ended;

    public Session Create(string transport, SocketIoRequest request)
    {
        while (true)
        {
            var session = new Session(SessionIdGenerator.Create(IdPrefix), transport, request, Timings, this, Timings.Now());
            if (sessions.TryAdd(session.Id, session))
            {
                LogSessionStarted(session.Id, transport);
                metrics.SessionStarted(transport);
                return session;
            }
        }
    }

    /// <summary>Creates the Socket.IO 5 socket of a CONNECT to <paramref name="nsp"/> on <paramref name="engine"/>.</summary>
    public Session CreateSocket(EngineIoSession engine, string nsp, Newtonsoft.Json.Linq.JObject? auth)
    {
        while (true)
        {
            var session = Session.ForSocket(SessionIdGenerator.Create(IdPrefix), engine, nsp, auth, Timings, this);
            if (sessions.TryAdd(session.Id, session))
            {
                LogSessionStarted(session.Id, session.Transport);
                metrics.SessionStarted(session.Transport);
                return session;
            }
        }
    }

    public Session? Find(string id) =>
        sessions.TryGetValue(id, out var session) && session.IsAlive ? session : null;

    /// <summary>As <see cref="Find(string)"/>, for an id still in the request's path.</summary>
    public Session? Find(ReadOnlySpan<char> id) =>
        byIdSpan.TryGetValue(id, out var session) && session.IsAlive ? session : null;

    /// <summary>The live sessions (a moment's view, enumerated without a lock).</summary>
    public ICollection<Session> All => sessions.Values;

    void ISessionOwner.OnEnded(Session session)
    {
        sessions.TryRemove(new KeyValuePair<string, Session>(session.Id, session));
        LogSessionEnded(session.Id, session.EndReason);
        metrics.SessionEnded(session.Transport, SessionEndReasonNames.TagValue(session.EndReason), Timings.TimeProvider.GetElapsedTime(session.StartedAt));
        Ended?.Invoke(session);
    }

    void ISessionOwner.OnSlowConsumer(Session session)
    {
        LogSlowConsumer(session.Id, session.Transport, Timings.MaxQueuedFrames, session.Request.RemoteIpAddress?.ToString());
        metrics.SessionDropped(session.Transport);
    }

    /// <summary>One pass of heartbeats and expiry over every session. With many sessions the pass is cut into at
    /// most <see cref="MaxSlicesPerPass"/> slices (of at least <see cref="MinSweepSlice"/> sessions) and pauses
    /// between them, spreading over half a sweep interval: the heartbeats of thousands of sessions that came due in
    /// the same tick (they connected together, after a deploy say) then go out, and their echoes come back, in a few
    /// waves instead of one burst. A burst has a send and a receive buffer in flight for every one of those
    /// connections at once, and Kestrel's memory pool keeps what it grew to (figures in
    /// docs/performance.md). Many small waves cost CPU instead (the thread pool wakes and spins for
    /// each), hence a bounded number of slices.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var sliceSize = Math.Max(MinSweepSlice, sessions.Count / MaxSlicesPerPass);
        var slices = sessions.Count / sliceSize;
        var pause = slices > 1 ? Timings.SweepInterval / 2 / slices : TimeSpan.Zero;
        var now = Timings.Now();
        var inSlice = 0;
        foreach (var pair in sessions)
        {
            if (inSlice == sliceSize && pause > TimeSpan.Zero)
            {
                // Before the next slice, never after the last one.
                inSlice = 0;
                await Task.Delay(pause, Timings.TimeProvider, cancellationToken).ConfigureAwait(false);
                now = Timings.Now();
            }

            pair.Value.Tick(now);
            inSlice++;
        }
    }

    /// <summary>The fewest sessions one slice of a sweep pass handles before it pauses.</summary>
    internal const int MinSweepSlice = 128;

    /// <summary>The most slices a sweep pass is cut into.</summary>
    internal const int MaxSlicesPerPass = 16;

    [LoggerMessage(200, LogLevel.Debug, "Session {SessionId} started on {Transport}.")]
    private partial void LogSessionStarted(string sessionId, string transport);

    [LoggerMessage(201, LogLevel.Debug, "Session {SessionId} ended: {Reason}.")]
    private partial void LogSessionEnded(string sessionId, SessionEndReason reason);

    [LoggerMessage(202, LogLevel.Warning, "Session {SessionId} ({Transport}, {RemoteAddress}) was disconnected as a slow consumer: {MaxQueuedFrames} frames were waiting for it.")]
    private partial void LogSlowConsumer(string sessionId, string transport, int maxQueuedFrames, string? remoteAddress);
}
