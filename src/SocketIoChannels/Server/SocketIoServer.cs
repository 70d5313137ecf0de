using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Events;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Server;

/// <summary>
/// Starts sessions and runs one loop per session, the django-socketio view: OnConnect, then each inbound command in
/// order (subscribe, unsubscribe, message), then, once the session ended, OnDisconnect (only when the client went
/// away: not after a handler error that ends the session, nor when the host stops), OnUnsubscribe for each
/// remaining channel, OnFinish, and the channels are left. The teardown runs whatever happened before it.
/// </summary>
internal sealed partial class SocketIoServer : ISessionStarter
{
    private readonly SessionStore store;
    private readonly ChannelMembership membership;
    private readonly SocketIoBroadcaster broadcaster;
    private readonly EventDispatcher dispatcher;
    private readonly MessageLog messageLog;
    private readonly SessionLoopSettings settings;
    private readonly ILogger<SocketIoServer> logger;
    private readonly SocketIoMetrics metrics;
    private readonly HandlerRegistry handlers;
    private readonly ConcurrentDictionary<Session, Task> loops = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource teardownAbandoned = new();
    private volatile bool stopping;

    public SocketIoServer(SessionStore store, ChannelMembership membership, SocketIoBroadcaster broadcaster, EventDispatcher dispatcher,
        MessageLog messageLog, SessionLoopSettings settings, SocketIoMetrics metrics, HandlerRegistry handlers, ILogger<SocketIoServer> logger)
    {
        this.handlers = handlers;
        this.metrics = metrics;
        this.store = store;
        this.membership = membership;
        this.broadcaster = broadcaster;
        this.dispatcher = dispatcher;
        this.messageLog = messageLog;
        this.settings = settings;
        this.logger = logger;
    }

    public SessionStore Sessions => store;

    /// <summary>Whether a Socket.IO 5 client may connect to <paramref name="nsp"/>: <c>/</c>, or a namespace a
    /// handler class declares with <see cref="SocketIoNamespaceAttribute"/>.</summary>
    public bool HasNamespace(string nsp) => handlers.HasNamespace(nsp);

    /// <summary>Creates a session for a new transport connection and starts its loop. Returns <see langword="null"/>
    /// when the host is stopping.</summary>
    public Session? StartSession(string transport, SocketIoRequest request)
    {
        if (stopping)
        {
            return null;
        }

        return Start(store.Create(transport, request));
    }

    /// <summary>Creates a Socket.IO 5 socket for a CONNECT and starts its loop. Returns <see langword="null"/> when
    /// the host is stopping.</summary>
    public Session? StartSocket(EngineIoSession engine, string nsp, Newtonsoft.Json.Linq.JObject? auth)
    {
        if (stopping)
        {
            return null;
        }

        // Findable by the Engine.IO session before the loop can answer the CONNECT: the client sends its events as
        // soon as it has the answer, and they must reach this socket.
        var recovery = broadcaster.Recovery;
        var baseline = recovery.LastOffset;
        var socket = store.CreateSocket(engine, nsp, recovery.Enabled ? WithoutRecoveryIds(auth) : auth);
        if (recovery.Enabled)
        {
            socket.Pid = RecoveryRecord.NewPid();
            socket.RecoveryBaseline = baseline;
        }

        engine.RegisterSocket(nsp, socket);
        return Start(socket);
    }


    private Session Start(Session session)
    {
        broadcaster.Backplane.SessionStarted();
        lock (loops)
        {
            // The loop yields at once and removes itself under this lock when it ends, so it is always added first
            // (no Task.Run wrapper or continuation kept per session).
            loops[session] = RunAsync(session);
        }

        if (stopping)
        {
            // Lost a race with StopAsync, which may not have seen this session: end it; its loop runs the teardown
            // (or, once the host has stopped, no handler at all).
            session.End(SessionEndReason.AppShutdown);
        }

        return session;
    }

    private async Task RunAsync(Session session)
    {
        await Task.Yield(); // off the request's thread before any handler runs
        var socket = new SocketHandle(session, broadcaster, membership, metrics);
        try
        {
            try
            {
                // The session's idle wait is in this frame: each suspended async method is an object per session.
                var handledAll = await ConnectAsync(socket).ConfigureAwait(false);
                while (handledAll && await session.Inbound.WaitToReadAsync().ConfigureAwait(false))
                {
                    handledAll = await HandleQueuedAsync(socket).ConfigureAwait(false);
                }

                if (handledAll && session.EndReason != SessionEndReason.AppShutdown && socket.Refusal is null)
                {
                    // The client went away (or was disconnected). Not on a handler error with
                    // CloseSessionOnHandlerError, nor when the host stops: django-socketio's view fires on_disconnect
                    // only when it reads the end of the connection; its client_end_all at shutdown does not.
                    await dispatcher.DispatchAsync(SocketIoEvent.Disconnect, socket, cancellationToken: teardownAbandoned.Token).ConfigureAwait(false);
                }
            }
            catch (Exception exception)
            {
                LogLoopFailed(exception, session.Id);
                session.End(SessionEndReason.Error);
            }

            // client_end: runs whatever happened above, but for a refused connection, which never started: it gets
            // no event after OnConnect (its channels are left below).
            if (socket.Refusal is null)
            {
                await TearDownAsync(socket).ConfigureAwait(false);
            }
        }
        finally
        {
            membership.LeaveAll(session); // nothing left to leave unless the teardown itself failed
            broadcaster.Recovery.Forget(session);
            lock (loops)
            {
                loops.TryRemove(session, out _);
            }

            broadcaster.Backplane.SessionEnded();
        }
    }

    /// <summary>OnConnect. Returns <see langword="false"/> when it stopped at a handler error
    /// (<see cref="SocketIoOptions.CloseSessionOnHandlerError"/>): then nothing after the failing event is handled, as
    /// django-socketio's view, which ends its loop at the exception.</summary>
    private async ValueTask<bool> ConnectAsync(SocketHandle socket)
    {
        var session = socket.Session;
        var connected = await dispatcher.DispatchAsync(SocketIoEvent.Connect, socket).ConfigureAwait(false);
        if (socket.Refusal is { } refusal)
        {
            LogConnectionRefused(session.Id, refusal.Message);
            if (session.Protocol == SessionProtocol.SocketIo5)
            {
                session.RefuseConnect(refusal.Message, refusal.ErrorDataJson); // CONNECT_ERROR; ends the socket
            }

            session.End(SessionEndReason.Kicked); // a 0.6 session has no refusal: it ends
            return false;
        }

        // The CONNECT answer, then what OnConnect sent (a Socket.IO 5 socket held it until now); nothing for 0.6.
        session.AcceptConnect();
        return connected || !StopAfterHandlerError(session);
    }

    /// <summary>Each inbound command queued now, in order. Returns <see langword="false"/> when it stopped at a
    /// handler error, as <see cref="ConnectAsync"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> HandleQueuedAsync(SocketHandle socket)
    {
        var session = socket.Session;
        while (session.Inbound.TryRead(out var commands))
        {
            metrics.MessagesReceived(session.Transport, commands.Count);
            foreach (var command in commands)
            {
                if (!await HandleAsync(socket, command).ConfigureAwait(false) && StopAfterHandlerError(session))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Handles one command; returns <see langword="false"/> when a handler threw.</summary>
    private async ValueTask<bool> HandleAsync(SocketHandle socket, InboundCommand command)
    {
        var session = socket.Session;
        var ack = command.WantsAck ? new AckResponder(socket, command.AckId) : null;
        bool succeeded;
        switch (command.Kind)
        {
            case InboundCommandKind.Subscribe:
                if (!await dispatcher.MaySubscribeAsync(socket, command.Channel!).ConfigureAwait(false))
                {
                    // A private channel this user may not join, or a name that times a channel pattern out: not
                    // subscribed, no OnSubscribe, no log line; a Socket.IO 5 client that asked for an ack learns why.
                    LogSubscriptionRefused(session.Id, command.Channel!);
                    ack?.TryAnswer([new Newtonsoft.Json.Linq.JObject { ["message"] = "Not authorized to subscribe to " + command.Channel }]);
                    return true;
                }

                membership.SubscribeFromClient(session, command.Channel!);

                // With a backplane, the other servers count the new subscriber before OnSubscribe runs (one round trip).
                await broadcaster.Backplane.WhenInterestsPublishedAsync().ConfigureAwait(false);
                ack?.TryAnswer([true]); // subscribed: what is sent to the channel from now on reaches the client
                succeeded = await dispatcher.DispatchAsync(SocketIoEvent.Subscribe, socket, channel: command.Channel).ConfigureAwait(false);
                Log(succeeded, session, "subscribe", null, command.Channel);
                break;
            case InboundCommandKind.Unsubscribe:
                membership.Unsubscribe(session, command.Channel!);
                ack?.TryAnswer([true]);
                succeeded = await dispatcher.DispatchAsync(SocketIoEvent.Unsubscribe, socket, channel: command.Channel).ConfigureAwait(false);
                Log(succeeded, session, "unsubscribe", null, command.Channel);
                break;
            case InboundCommandKind.Event:
                succeeded = await dispatcher.DispatchAsync(SocketIoEvent.Event, socket, command.Message ?? FirstOf(command.Args), eventName: command.EventName,
                    args: command.Args ?? [], ack: ack).ConfigureAwait(false);
                break;
            default:
                succeeded = await dispatcher.DispatchAsync(SocketIoEvent.Message, socket, command.Message, args: command.Args, ack: ack).ConfigureAwait(false);
                Log(succeeded, session, "message", command.Message, null);
                break;
        }

        return succeeded;
    }

    private static Newtonsoft.Json.Linq.JToken? FirstOf(Newtonsoft.Json.Linq.JToken[]? args) => args is { Length: > 0 } ? args[0] : null;

    private void Log(bool succeeded, Session session, string type, Newtonsoft.Json.Linq.JToken? message, string? channel)
    {
        // As the original, a line is written only after the handlers of the item ran without error.
        if (succeeded)
        {
            messageLog.Write(session.Request, type, message, channel);
        }
    }

    /// <summary>After a handler error: whether to stop handling this session's events (and end it).</summary>
    private bool StopAfterHandlerError(Session session)
    {
        if (!settings.CloseSessionOnHandlerError)
        {
            return false;
        }

        session.End(SessionEndReason.Error);
        return true;
    }

    private async Task TearDownAsync(SocketHandle socket)
    {
        // client_end: OnUnsubscribe for each channel while still subscribed, then OnFinish, then leave them. The
        // session has ended, so these handlers get a token that fires only when the host gives up waiting for them.
        // The dispatcher keeps handler exceptions in; anything else is logged and the teardown goes on.
        foreach (var channel in socket.Session.GetChannels())
        {
            await TearDownStepAsync(socket, SocketIoEvent.Unsubscribe, channel).ConfigureAwait(false);
        }

        await TearDownStepAsync(socket, SocketIoEvent.Finish, null).ConfigureAwait(false);
        membership.LeaveAll(socket.Session);
    }

    private async Task TearDownStepAsync(SocketHandle socket, SocketIoEvent @event, string? channel)
    {
        try
        {
            await dispatcher.DispatchAsync(@event, socket, channel: channel, cancellationToken: teardownAbandoned.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogLoopFailed(exception, socket.SessionId);
        }
    }

    /// <summary>Ends every session and waits until their teardown events ran (django-socketio:
    /// <c>client_end_all</c>). When <paramref name="cancellationToken"/> fires first (the host's shutdown timeout),
    /// the handlers still running see their teardown token cancelled. Either way no handler starts afterwards.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (dispatcher.IsHalted)
        {
            return; // the host calls this twice: first from StoppingAsync, then from StopAsync
        }

        stopping = true;
        broadcaster.Recovery.Stopping = true;
        LogStopping(loops.Count);
        try
        {
            // Repeat until no loop is left: a session started while stopping began is ended by StartSession.
            while (!loops.IsEmpty)
            {
                foreach (var session in store.All)
                {
                    session.End(SessionEndReason.AppShutdown);
                }

                await Task.WhenAll(loops.Values.ToArray()).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut(loops.Count);
            await teardownAbandoned.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            dispatcher.Halt();
        }
    }

    [LoggerMessage(230, LogLevel.Debug, "Session {SessionId} may not subscribe to {Channel}: an [Authorize] OnSubscribe handler refused it, or its name cannot be matched against the handlers' channel patterns in time.")]
    private partial void LogSubscriptionRefused(string sessionId, string channel);

    [LoggerMessage(231, LogLevel.Debug, "The connection of socket {SessionId} was refused by its OnConnect handlers: {Reason}")]
    private partial void LogConnectionRefused(string sessionId, string reason);

    [LoggerMessage(220, LogLevel.Error, "The loop of session {SessionId} failed; the session was ended.")]
    private partial void LogLoopFailed(Exception exception, string sessionId);

    [LoggerMessage(221, LogLevel.Information, "Stopping: running the teardown events of {Count} sessions.")]
    private partial void LogStopping(int count);

    [LoggerMessage(222, LogLevel.Warning, "Stopping: {Count} sessions had not finished their teardown events when the host's shutdown timeout passed.")]
    private partial void LogStopTimedOut(int count);
}
