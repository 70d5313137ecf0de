using System.Threading.Channels;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>
/// One Socket.IO session (docs/protocol-0.6.md §2.4): its id, state, a bounded outbound queue of encoded frames, an
/// inbound queue of client commands, the lease of the one attached transport connection, and the heartbeat and
/// expiry state that the <see cref="SessionSweeper"/> drives. No timer of its own.
/// </summary>
internal sealed partial class Session : ITransportSession
{
    private readonly object gate; // the session itself (internal, never locked by others): no lock object per session
    private readonly SessionOutbox? outbox; // 0.6 only: a Socket.IO 5 socket's packets go into its Engine.IO session's
    private readonly SessionQueue<InboundBatch> inbound;
    private readonly ISessionOwner owner;
    private readonly SessionTimings timings;
    private Dictionary<string, object?>? context; // created on first use: most idle sessions never need one
    private CancellationTokenSource? ended;
    private long closedAt;
    private long heartbeatCounter;
    private long heartbeatDueAt;
    private long heartbeatSentAt;
    private int receivesWaiting; // payloads of this client waiting for room in the inbound queue (back-pressure)
    private bool awaitingEcho;
    private bool streaming;
    private int state; // 0 alive, 1 ended

    /// <summary>For tests: runs on a <see cref="Tick"/>'s thread after its decision, when a connection could attach.</summary>
    [ThreadStatic]
    internal static Action<Session>? AfterTickDecision;

    public Session(string id, string transport, SocketIoRequest request, SessionTimings timings, ISessionOwner owner, long now)
        : this(id, transport, request, timings, owner, now, engine: null)
    {
    }

    private Session(string id, string transport, SocketIoRequest request, SessionTimings timings, ISessionOwner owner, long now, EngineIoSession? engine)
    {
        gate = this;
        Id = id;
        Transport = transport;
        Request = request;
        this.timings = timings;
        this.owner = owner;
        closedAt = now;
        StartedAt = now;
        // No buffer while empty: a client's messages come now and then, and an idle session keeps none (88 B).
        inbound = new SessionQueue<InboundBatch>(timings.MaxInboundPayloads, initialSize: 0, static batch => batch.Size, timings.MaxInboundChars);
        this.engine = engine;
        if (engine is null)
        {
            outbox = new SessionOutbox(gate, timings.MaxQueuedFrames);
            // The first frame of every 0.6 session is its id (docs/protocol-0.6.md §2.3); nothing may go before it.
            outbox.Queue.TryWrite(FrameCodec.EncodeText(id));
        }
        else
        {
            Protocol = SessionProtocol.SocketIo5;
        }
    }

    public string Id { get; }

    // The outbound side of a 0.6 session; a Socket.IO 5 socket has none (its Engine.IO session has the connection).
    private SessionOutbox Outbox06 => outbox ?? throw new InvalidOperationException(
        "A Socket.IO 5 socket has no connection or queue of its own: its Engine.IO session has them.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static bool NotA06Session() =>
        throw new InvalidOperationException("A Socket.IO 0.6 frame cannot be sent to a Socket.IO 5 socket: send an OutboundMessage.");

    /// <summary>The protocol this session speaks (0.6 unless set when a Socket.IO 5 socket is created).</summary>
    public SessionProtocol Protocol { get; init; }

    /// <summary>The namespace of a Socket.IO 5 socket; <c>/</c> for every 0.6 session.</summary>
    public string Namespace { get; init; } = SocketIoPacketCodec.DefaultNamespace;

    /// <summary>The CONNECT payload of a Socket.IO 5 socket (<c>socket.auth</c> of the client), or
    /// <see langword="null"/> when it sent none and for 0.6 sessions.</summary>
    public Newtonsoft.Json.Linq.JObject? Auth { get; init; }

    public string Transport { get; }

    public SocketIoRequest Request { get; }

    /// <summary>When the session was created (a <see cref="TimeProvider"/> timestamp).</summary>
    public long StartedAt { get; }

    /// <summary>One dictionary per session, shared by all its events (django-socketio: <c>context</c>).</summary>
    public Dictionary<string, object?> Context => LazyInitializer.EnsureInitialized(ref context);

    public bool IsAlive => Volatile.Read(ref state) == 0;

    public SessionEndReason EndReason { get; private set; }

    public ChannelReader<byte[]> Outbound => Outbox06.Queue;

    public ChannelReader<InboundBatch> Inbound => inbound;

    /// <summary>Fires when the session ends (handed to handlers as their <see cref="CancellationToken"/>).</summary>
    public CancellationToken EndedToken
    {
        get
        {
            lock (gate)
            {
                if (ended is null)
                {
                    ended = new CancellationTokenSource();
                    if (state != 0)
                    {
                        ended.Cancel();
                    }
                }

                return ended.Token;
            }
        }
    }

    /// <summary>Queues an encoded 0.6 frame. A full queue ends the session as a slow consumer; the caller never waits.
    /// Returns <see langword="false"/> when the frame was not queued. A Socket.IO 5 socket takes sends as
    /// <see cref="OutboundMessage"/> only, encoded once for all its recipients.</summary>
    public bool TryEnqueue(byte[] frame)
    {
        // Every recipient of a 0.6 broadcast comes through here: no throw in this method, so the JIT can inline it.
        if (outbox is null)
        {
            return NotA06Session();
        }

        if (outbox.Queue.TryWrite(frame))
        {
            return true;
        }

        if (IsAlive && End(SessionEndReason.SlowConsumer))
        {
            owner.OnSlowConsumer(this);
        }

        return false;
    }

    /// <summary>Queues one send in this session's protocol: the 0.6 frame, or the Socket.IO 5 packets for its
    /// namespace. As <see cref="TryEnqueue(byte[])"/>, never waits.</summary>
    public bool TryEnqueue(OutboundMessage message) => Protocol switch
    {
        SessionProtocol.SocketIo06 => TryEnqueue(message.Frame06),
        _ => TryEnqueuePackets(message.PacketsV5(Namespace)),
    };

    /// <summary>The channels of this session and its client's claims (changed through
    /// <c>Broadcasting/ChannelMembership</c> only).</summary>
    public SessionChannels Channels { get; } = new();

    /// <summary>The channels of this session in subscription order (a copy).</summary>
    public string[] GetChannels() => Channels.ToArray();

    /// <summary>Whether a transport connection (a held poll, a WebSocket) is attached now.</summary>
    public bool HasConnection
    {
        get
        {
            lock (gate)
            {
                return outbox?.Lease is not null;
            }
        }
    }

    /// <summary>Attaches a transport connection, superseding the one attached before (a newer poll wins). Returns
    /// <see langword="null"/> when the session has ended. <paramref name="cutOff"/>, given by a connection whose
    /// writes a client can stall (the WebSockets), cuts it off when it has not written what is left and its close
    /// within <see cref="TransportLease.CloseTimeout"/> of the session's end (see <see cref="TransportLease"/>).</summary>
    public TransportLease? Attach(bool isPoll, Action<object?>? cutOff = null, object? cutOffState = null)
    {
        TransportLease? previous;
        TransportLease created;
        lock (gate)
        {
            if (state != 0)
            {
                return null;
            }

            var now = timings.Now();
            created = new TransportLease(isPoll, now, timings.TimeProvider, cutOff, cutOffState);
            previous = Outbox06.Replace(created);
            streaming = !isPoll;
            if (streaming && !awaitingEcho)
            {
                heartbeatDueAt = now + timings.HeartbeatInterval;
            }
        }

        previous?.Supersede();
        return created;
    }

    /// <summary>Lets go of a connection; the close timeout starts if it was the current one.</summary>
    public void Detach(TransportLease detached)
    {
        SessionEndReason? end = null;
        TransportLease? current = null;
        CancellationTokenSource? endedSource = null;
        lock (gate)
        {
            if (!Outbox06.Release(detached))
            {
                return;
            }

            closedAt = timings.Now();
            if (state == 0 && (detached.IsPoll ? timings.PollingCloseTimeout : timings.StreamingCloseTimeout) <= 0
                && MarkEnded(SessionEndReason.Normal, out current, out endedSource))
            {
                end = SessionEndReason.Normal;
            }
        }

        if (end is { } reason)
        {
            FinishEnd(reason, current, endedSource);
        }
    }

    /// <summary>Ends the session once: no more sends are queued, the attached connection is told to stop, the
    /// loop runs the teardown events. Returns <see langword="false"/> when it had already ended.</summary>
    public bool End(SessionEndReason reason)
    {
        TransportLease? current;
        CancellationTokenSource? endedSource;
        lock (gate)
        {
            if (!MarkEnded(reason, out current, out endedSource))
            {
                return false;
            }
        }

        FinishEnd(reason, current, endedSource);
        return true;
    }

    // Under the lock, in the same hold as the decision to end (the sweep's, a detach's): from here no connection
    // attaches, so none is taken and then ended under it.
    private bool MarkEnded(SessionEndReason reason, out TransportLease? current, out CancellationTokenSource? endedSource)
    {
        current = outbox?.Lease;
        endedSource = ended;
        if (state != 0)
        {
            return false;
        }

        state = 1;
        EndReason = reason;
        return true;
    }

    private void FinishEnd(SessionEndReason reason, TransportLease? current, CancellationTokenSource? endedSource)
    {
        // Completing the queue lets the attached connection send what is left and close, within the close-handshake
        // timeout (a client that stopped reading is then cut off); a dropped client (slow, silent) is cut off at
        // once instead.
        outbox?.Queue.TryComplete();
        inbound.TryComplete();
        if (reason is SessionEndReason.SlowConsumer or SessionEndReason.Timeout)
        {
            current?.Cancel();
        }
        else
        {
            current?.StartDeadline();
        }

        // Handlers' cancellation callbacks and continuations run on the thread pool, never inline on the caller:
        // End may be called by a broadcast (slow consumer) that must not wait for anyone's handler.
        _ = endedSource?.CancelAsync();

        if (engine is not null)
        {
            CancelPendingAcks();
            engine.OnSocketEnded(this);
        }

        owner.OnEnded(this);
    }

    /// <summary>Heartbeats, poll duration and expiry, driven by the sweep: no timer per session.</summary>
    public void Tick(long now)
    {
        SessionEndReason? end = null;
        TransportLease? endedLease = null;
        CancellationTokenSource? endedSource = null;
        TransportLease? expiredPoll = null;
        byte[]? heartbeat = null;
        lock (gate)
        {
            if (state != 0)
            {
                return;
            }

            if (engine is not null)
            {
                // A Socket.IO 5 socket: its Engine.IO session has the heartbeat and the connection; a suspended one
                // ends when its recovery window passed.
                end = suspended && now - suspendedAt >= timings.RecoveryWindow ? SessionEndReason.Normal : null;
                if (end is null)
                {
                    return;
                }

                endedByEngine = true; // no DISCONNECT: the connection is gone
            }

            var lease = outbox?.Lease;
            if (end is not null)
            {
            }
            else if (lease is null)
            {
                var closeTimeout = streaming ? timings.StreamingCloseTimeout : timings.PollingCloseTimeout;
                if (now - closedAt >= closeTimeout)
                {
                    end = SessionEndReason.Normal;
                }
            }
            else if (lease.IsPoll)
            {
                if (now - lease.StartedAt >= timings.PollDuration)
                {
                    expiredPoll = lease;
                }
            }
            else if (awaitingEcho)
            {
                // Not while the server itself stopped reading the client (see ReceiveAsync).
                if (receivesWaiting == 0 && now - heartbeatSentAt >= timings.HeartbeatTimeout)
                {
                    end = SessionEndReason.Timeout;
                }
            }
            else if (now >= heartbeatDueAt)
            {
                heartbeatCounter++;
                awaitingEcho = true;
                heartbeatSentAt = now;
                heartbeat = FrameCodec.EncodeHeartbeat(heartbeatCounter);
            }

            // Decided and ended in one hold of the lock: a poll attaching now is refused, not taken and then ended.
            if (end is { } reason)
            {
                MarkEnded(reason, out endedLease, out endedSource);
            }
        }

        AfterTickDecision?.Invoke(this);
        if (end is { } ending)
        {
            FinishEnd(ending, endedLease, endedSource);
        }

        expiredPoll?.Cancel();
        if (heartbeat is not null)
        {
            TryEnqueue(heartbeat);
        }
    }
}
