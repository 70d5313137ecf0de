using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Diagnostics;

namespace SocketIoChannels.Sessions;

/// <summary>The live sessions of this node by id. A session is removed as soon as it ends.</summary>
internal sealed partial class SessionStore : ISessionOwner
{
    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Session>.AlternateLookup<ReadOnlySpan<char>> byIdSpan;

    // What the sweep visits: the 0.6 sessions and the suspended Socket.IO 5 sockets. A connected Socket.IO 5 socket
    // has nothing to sweep (its Engine.IO session has the ping and the connection); visiting each one every second
    // took as much idle CPU as the Engine.IO pass (bench/README.md, "Idle CPU: the session sweep").
    private readonly ConcurrentDictionary<string, Session> swept = new(StringComparer.Ordinal);
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
                swept[session.Id] = session;
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

    /// <summary>How many sessions the sweep visits: the 0.6 sessions and the suspended Socket.IO 5 sockets.</summary>
    internal int SweptCount => swept.Count;

    void ISessionOwner.OnSuspended(Session socket)
    {
        swept[socket.Id] = socket;
        if (!socket.IsAlive)
        {
            // It ended while being added: OnEnded may have run before, so take it out again.
            swept.TryRemove(new KeyValuePair<string, Session>(socket.Id, socket));
        }
    }

    void ISessionOwner.OnResumed(Session socket) => swept.TryRemove(new KeyValuePair<string, Session>(socket.Id, socket));

    void ISessionOwner.OnEnded(Session session)
    {
        sessions.TryRemove(new KeyValuePair<string, Session>(session.Id, session));
        swept.TryRemove(new KeyValuePair<string, Session>(session.Id, session));
        LogSessionEnded(session.Id, session.EndReason);
        metrics.SessionEnded(session.Transport, SessionEndReasonNames.TagValue(session.EndReason), Timings.TimeProvider.GetElapsedTime(session.StartedAt));
        Ended?.Invoke(session);
    }

    void ISessionOwner.OnSlowConsumer(Session session)
    {
        LogSlowConsumer(session.Id, session.Transport, Timings.MaxQueuedFrames, session.Request.RemoteIpAddress?.ToString());
        metrics.SessionDropped(session.Transport);
    }

    /// <summary>One pass of heartbeats and expiry over the 0.6 sessions and the suspended Socket.IO 5 sockets, in
    /// slices spread over half of <paramref name="sweepInterval"/> when there are many (<see cref="SweepPass"/>).</summary>
    public Task SweepAsync(TimeSpan sweepInterval, CancellationToken cancellationToken) =>
        SweepPass.RunAsync(swept, static (session, now) => session.Tick(now), Timings.TimeProvider, sweepInterval, cancellationToken);

    [LoggerMessage(200, LogLevel.Debug, "Session {SessionId} started on {Transport}.")]
    private partial void LogSessionStarted(string sessionId, string transport);

    [LoggerMessage(201, LogLevel.Debug, "Session {SessionId} ended: {Reason}.")]
    private partial void LogSessionEnded(string sessionId, SessionEndReason reason);

    [LoggerMessage(202, LogLevel.Warning, "Session {SessionId} ({Transport}, {RemoteAddress}) was disconnected as a slow consumer: {MaxQueuedFrames} frames were waiting for it.")]
    private partial void LogSlowConsumer(string sessionId, string transport, int maxQueuedFrames, string? remoteAddress);
}
