using System.Threading.Channels;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>
/// One Socket.IO session (docs/protocol-0.6.md §2.4): its id, state, a bounded outbound queue of encoded frames, an
/// inbound queue of client commands, the lease of the one attached transport connection, and the heartbeat and
/// expiry state that the <see cref="SessionSweeper"/> drives. No timer of its own.
/// </summary>
internal sealed partial class Session
{
    private readonly object gate = new();
    private readonly SessionQueue<byte[]> outbound;
    private readonly SessionQueue<InboundBatch> inbound;
    private readonly ISessionOwner owner;
    private readonly SessionTimings timings;
    private Dictionary<string, object?>? context; // created on first use: most idle sessions never need one
    private TransportLease? lease;
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
    {
        Id = id;
        Transport = transport;
        Request = request;
        this.timings = timings;
        this.owner = owner;
        closedAt = now;
        StartedAt = now;
        outbound = new SessionQueue<byte[]>(timings.MaxQueuedFrames, initialSize: 4);
        inbound = new SessionQueue<InboundBatch>(timings.MaxInboundPayloads, initialSize: 1, static batch => batch.Size, timings.MaxInboundChars);

        // The first frame of every session is its id (docs/protocol-0.6.md §2.3); nothing may go before it.
        outbound.TryWrite(FrameCodec.EncodeText(id));
    }

    public string Id { get; }

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

    public ChannelReader<byte[]> Outbound => outbound;

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

    /// <summary>Queues an encoded frame. A full queue ends the session as a slow consumer; the caller never waits.
    /// Returns <see langword="false"/> when the frame was not queued.</summary>
    public bool TryEnqueue(byte[] frame)
    {
        if (outbound.TryWrite(frame))
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
        _ => throw new NotSupportedException("Socket.IO 5 sockets are not wired to an Engine.IO session yet."),
    };

    /// <summary>The channels of this session and its client's claims (changed through
    /// <c>Broadcasting/ChannelMembership</c> only).</summary>
    public SessionChannels Channels { get; } = new();

    /// <summary>The channels of this session in subscription order (a copy).</summary>
    public string[] GetChannels() => Channels.ToArray();

    /// <summary>Takes the payload of one transport message (a WebSocket message, a POST's <c>data</c>): heartbeat
    /// echoes are handled at once, every other command is queued for the session loop in order. Waits when the
    /// loop is behind (<see cref="SessionTimings.MaxInboundPayloads"/> payloads or
    /// <see cref="SessionTimings.MaxInboundChars"/> of text wait for it): back-pressure on this client only, whose
    /// receive loop or POST waits, never an unbounded buffer. Throws <see cref="InvalidPayloadException"/> when the
    /// payload is malformed or over a limit: then none of it is used. Returns a problem when the session ended
    /// before the commands were queued.</summary>
    public ValueTask<string?> ReceiveAsync(string payload, bool normalizeNewlines, CancellationToken cancellationToken) =>
        ReceiveAsync(payload, normalizeNewlines, keepDecodedOnMalformed: false, cancellationToken);

    /// <summary>As <see cref="ReceiveAsync(string, bool, CancellationToken)"/>; with
    /// <paramref name="keepDecodedOnMalformed"/> (POSTs), broken framing keeps the frames before it and the returned
    /// problem says what was dropped.</summary>
    public async ValueTask<string?> ReceiveAsync(string payload, bool normalizeNewlines, bool keepDecodedOnMalformed, CancellationToken cancellationToken)
    {
        var parsed = ParsePayload(payload, normalizeNewlines, keepDecodedOnMalformed, out var dropped);
        if (parsed is not { } batch || inbound.TryWrite(batch))
        {
            return dropped;
        }

        // Full (or ended). While this client waits for its own backlog, the server reads nothing more from it: a
        // heartbeat echo it sent meanwhile sits unread behind this payload. Its echo timeout stops for that time
        // (see Tick) and starts again once the payload went in.
        lock (gate)
        {
            receivesWaiting++;
        }

        try
        {
            await inbound.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return "the session ended before its messages were handled";
        }
        finally
        {
            lock (gate)
            {
                receivesWaiting--;
                if (awaitingEcho)
                {
                    heartbeatSentAt = Math.Max(heartbeatSentAt, timings.Now());
                }
            }
        }

        return dropped;
    }

    /// <summary>Decodes a payload (all or nothing, see <see cref="InboundPayload"/>) and handles its heartbeat
    /// echoes. Returns its commands, or <see langword="null"/> when it has none. Synchronous, so that it can use
    /// this thread's <see cref="DecodeScratch"/> lists: a payload of one command allocates no list and no array.</summary>
    private InboundBatch? ParsePayload(string payload, bool normalizeNewlines, bool keepDecodedOnMalformed, out string? dropped)
    {
        var (frames, commands) = DecodeScratch.Rent();
        try
        {
            dropped = InboundPayload.Parse(payload, normalizeNewlines, timings.Limits, frames, commands, keepDecodedOnMalformed);
            if (Channels.TryClaim(commands, timings.Limits.MaxChannelsPerSession) is { } problem)
            {
                throw new InvalidPayloadException("Payload refused: " + problem + ".", overLimit: true);
            }

            foreach (var frame in frames)
            {
                if (frame.Kind == FrameKind.Heartbeat)
                {
                    OnHeartbeatEcho(frame.Text);
                }
            }

            return commands.Count > 0 ? InboundBatch.From(commands, payload.Length) : null;
        }
        finally
        {
            DecodeScratch.Return(frames, commands);
        }
    }

    private void OnHeartbeatEcho(string counterText)
    {
        lock (gate)
        {
            if (awaitingEcho && long.TryParse(counterText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var counter) && counter == heartbeatCounter)
            {
                awaitingEcho = false;
                heartbeatDueAt = timings.Now() + timings.HeartbeatInterval;
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
            previous = lease;
            created = new TransportLease(isPoll, now, timings.TimeProvider, cutOff, cutOffState);
            lease = created;
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
            if (!ReferenceEquals(lease, detached))
            {
                return;
            }

            lease = null;
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
        current = lease;
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
        outbound.TryComplete();
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

            if (lease is null)
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
