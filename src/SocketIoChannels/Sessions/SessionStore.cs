using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Sessions;

/// <summary>The live sessions of this node by id. A session is removed as soon as it ends.</summary>
internal sealed partial class SessionStore : ISessionOwner
{
    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);
    private readonly ILogger<SessionStore> logger;

    public SessionStore(SessionTimings timings, ILogger<SessionStore> logger)
    {
        Timings = timings;
        this.logger = logger;
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
                return session;
            }
        }
    }

    public Session? Find(string id) =>
        sessions.TryGetValue(id, out var session) && session.IsAlive ? session : null;

    /// <summary>The live sessions (a moment's view, enumerated without a lock).</summary>
    public ICollection<Session> All => sessions.Values;

    void ISessionOwner.OnEnded(Session session)
    {
        sessions.TryRemove(new KeyValuePair<string, Session>(session.Id, session));
        LogSessionEnded(session.Id, session.EndReason);
        Ended?.Invoke(session);
    }

    void ISessionOwner.OnSlowConsumer(Session session) =>
        LogSlowConsumer(session.Id, session.Transport, Timings.MaxQueuedFrames, session.Request.RemoteIpAddress?.ToString());

    /// <summary>One pass of heartbeats and expiry over every session.</summary>
    public void Sweep()
    {
        var now = Timings.Now();
        foreach (var pair in sessions)
        {
            pair.Value.Tick(now);
        }
    }

    [LoggerMessage(200, LogLevel.Debug, "Session {SessionId} started on {Transport}.")]
    private partial void LogSessionStarted(string sessionId, string transport);

    [LoggerMessage(201, LogLevel.Debug, "Session {SessionId} ended: {Reason}.")]
    private partial void LogSessionEnded(string sessionId, SessionEndReason reason);

    [LoggerMessage(202, LogLevel.Warning, "Session {SessionId} ({Transport}, {RemoteAddress}) was disconnected as a slow consumer: {MaxQueuedFrames} frames were waiting for it.")]
    private partial void LogSlowConsumer(string sessionId, string transport, int maxQueuedFrames, string? remoteAddress);
}
