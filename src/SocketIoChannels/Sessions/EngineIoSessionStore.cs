using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>The live Engine.IO sessions of this node by sid (their Socket.IO 5 sockets live in the
/// <see cref="SessionStore"/> like 0.6 sessions). A session is removed as soon as it ends. The one session sweep
/// ticks these too.</summary>
internal sealed partial class EngineIoSessionStore : IEngineIoSessionOwner
{
    private readonly ConcurrentDictionary<string, EngineIoSession> sessions = new(StringComparer.Ordinal);
    private readonly InboundLimits limits;
    private readonly ILogger<EngineIoSessionStore> logger;

    public EngineIoSessionStore(EngineIoTimings timings, SessionTimings sessionTimings, ILogger<EngineIoSessionStore> logger)
    {
        Timings = timings;
        limits = sessionTimings.Limits;
        this.logger = logger;
    }

    public EngineIoTimings Timings { get; }

    public int Count => sessions.Count;

    /// <summary>The live sessions (a moment's view).</summary>
    public ICollection<EngineIoSession> All => sessions.Values;

    /// <summary>Opens a session on <paramref name="transport"/> (<c>polling</c> or <c>websocket</c>); its open packet
    /// is queued first.</summary>
    public EngineIoSession Create(string transport, SocketIoRequest request, ISessionStarter starter)
    {
        while (true)
        {
            var session = new EngineIoSession(EngineIoSessionIdGenerator.Create(), transport, request, Timings, limits, starter, this);
            if (sessions.TryAdd(session.Id, session))
            {
                LogStarted(session.Id, transport);
                return session;
            }
        }
    }

    public EngineIoSession? Find(string id) =>
        sessions.TryGetValue(id, out var session) && session.IsAlive ? session : null;

    /// <summary>One pass of pings and timeouts over every session (called by the session sweep), in slices spread
    /// over half of <paramref name="sweepInterval"/> when there are many (<see cref="SweepPass"/>): the pings of
    /// sessions that connected together come due together.</summary>
    public Task SweepAsync(TimeSpan sweepInterval, CancellationToken cancellationToken) =>
        SweepPass.RunAsync(sessions, static (session, now) => session.Tick(now), Timings.TimeProvider, sweepInterval, cancellationToken);

    /// <summary>Ends every session (the host is stopping).</summary>
    public void EndAll()
    {
        foreach (var session in sessions.Values)
        {
            session.End(SessionEndReason.AppShutdown);
        }
    }

    void IEngineIoSessionOwner.OnEnded(EngineIoSession session)
    {
        sessions.TryRemove(new KeyValuePair<string, EngineIoSession>(session.Id, session));
        LogEnded(session.Id, session.EndReason);
    }

    void IEngineIoSessionOwner.OnSlowConsumer(EngineIoSession session) =>
        LogSlowConsumer(session.Id, session.TransportName, Timings.MaxQueuedPackets, session.Request.RemoteIpAddress?.ToString());

    void IEngineIoSessionOwner.OnConnectTimeout(EngineIoSession session) => LogConnectTimeout(session.Id);

    void IEngineIoSessionOwner.OnMalformed(EngineIoSession session, string problem) => LogMalformed(session.Id, problem);

    void IEngineIoSessionOwner.OnIgnored(EngineIoSession session, string what) => LogIgnored(session.Id, what);

    [LoggerMessage(240, LogLevel.Debug, "Engine.IO session {SessionId} started on {Transport}.")]
    private partial void LogStarted(string sessionId, string transport);

    [LoggerMessage(241, LogLevel.Debug, "Engine.IO session {SessionId} ended: {Reason}.")]
    private partial void LogEnded(string sessionId, SessionEndReason reason);

    [LoggerMessage(242, LogLevel.Warning, "Engine.IO session {SessionId} ({Transport}, {RemoteAddress}) was disconnected as a slow consumer: {MaxQueuedPackets} packets were waiting for it.")]
    private partial void LogSlowConsumer(string sessionId, string transport, int maxQueuedPackets, string? remoteAddress);

    [LoggerMessage(243, LogLevel.Debug, "Engine.IO session {SessionId} sent no CONNECT within the connect timeout: closed.")]
    private partial void LogConnectTimeout(string sessionId);

    [LoggerMessage(244, LogLevel.Debug, "Engine.IO session {SessionId} was closed: the client sent {Problem}.")]
    private partial void LogMalformed(string sessionId, string problem);

    [LoggerMessage(245, LogLevel.Debug, "Engine.IO session {SessionId} ignored {What}.")]
    private partial void LogIgnored(string sessionId, string what);
}
