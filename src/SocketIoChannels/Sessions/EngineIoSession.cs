using System.Globalization;
using System.Threading.Channels;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>
/// One Engine.IO 4 session (docs/protocol-v5.md §1): its sid, one bounded outbound queue of packets in queue form
/// (see <see cref="EngineIoCodec.QueuedText"/>), the lease of its one transport connection with the hand-off shared
/// with 0.6 sessions (<see cref="SessionOutbox"/>), the server-driven ping, the upgrade from polling to WebSocket,
/// and the Socket.IO 5 sockets it carries (one per namespace). No timer of its own: <see cref="Tick"/> is driven by
/// the one session sweep.
/// </summary>
internal sealed partial class EngineIoSession : ITransportSession
{
    private static readonly byte[] PingPacket = EngineIoCodec.QueuedText(EngineIoPacketType.Ping);
    private static readonly byte[] NoopPacket = EngineIoCodec.QueuedText(EngineIoPacketType.Noop);
    private static readonly byte[] ClosePacket = EngineIoCodec.QueuedText(EngineIoPacketType.Close);

    private readonly object gate; // the session itself (internal, never locked by others): no lock object per session
    private readonly SessionOutbox outbox;
    private readonly EngineIoTimings timings;
    private readonly IEngineIoSessionOwner owner;
    private readonly ISessionStarter starter;
    private readonly InboundLimits limits;
    private readonly long connectDeadline;
    private long pingDueAt;
    private long pingSentAt;
    private int receivesWaiting; // messages of this client waiting for room in a socket's inbound queue
    private bool awaitingPong;
    private bool everConnected;
    private bool postInFlight;
    private UpgradeState upgrade;
    private int state; // 0 alive, 1 ended

    public EngineIoSession(string id, string transport, SocketIoRequest request, EngineIoTimings timings, InboundLimits limits,
        ISessionStarter starter, IEngineIoSessionOwner owner)
    {
        gate = this;
        Id = id;
        TransportName = transport;
        Request = request;
        this.timings = timings;
        this.limits = limits;
        this.starter = starter;
        this.owner = owner;
        outbox = new SessionOutbox(gate, timings.MaxQueuedPackets);
        var now = timings.Now();
        StartedAt = now;
        pingDueAt = now + timings.PingInterval;
        connectDeadline = now + timings.ConnectTimeout;
        if (transport == WebSocketTransportName)
        {
            upgrade = UpgradeState.Upgraded; // a WebSocket from the start: nothing to upgrade to
        }

        // The open packet is the first of every session (docs/protocol-v5.md §1.2).
        outbox.Queue.TryWrite(EngineIoCodec.QueuedText(EngineIoPacketType.Open, OpenPayload(id, transport, timings)));
    }

    /// <summary>The name of the polling transport in the query (<c>transport=polling</c>).</summary>
    public const string PollingTransportName = "polling";

    /// <summary>The name of the WebSocket transport in the query (<c>transport=websocket</c>).</summary>
    public const string WebSocketTransportName = "websocket";

    private enum UpgradeState : byte
    {
        None,
        Probing, // a WebSocket claimed the upgrade and is probing
        Upgraded, // the session lives on its WebSocket
    }

    public string Id { get; }

    /// <summary>The transport the session lives on: <c>polling</c> until an upgrade, then <c>websocket</c>.</summary>
    public string TransportName { get; private set; }

    public SocketIoRequest Request { get; }

    /// <summary>The largest inbound payload in bytes (<c>maxPayload</c> of the handshake).</summary>
    public int MaxPayload => timings.MaxPayload;

    public EngineIoTimings Timings => timings;

    public long StartedAt { get; }

    public bool IsAlive => Volatile.Read(ref state) == 0;

    public SessionEndReason EndReason { get; private set; }

    public ChannelReader<byte[]> Outbound => outbox.Queue;

    /// <summary>The Socket.IO 5 sockets of this session (a copy).</summary>
    public Session[] Sockets
    {
        get
        {
            lock (gate)
            {
                return sockets is null ? [] : [.. sockets];
            }
        }
    }

    private static string OpenPayload(string id, string transport, EngineIoTimings timings) => new JObject
    {
        ["sid"] = id,
        ["upgrades"] = transport == PollingTransportName ? new JArray(WebSocketTransportName) : new JArray(),
        ["pingInterval"] = (long)timings.PingIntervalSpan.TotalMilliseconds,
        ["pingTimeout"] = (long)timings.PingTimeoutSpan.TotalMilliseconds,
        ["maxPayload"] = timings.MaxPayload,
    }.ToString(Newtonsoft.Json.Formatting.None);

    /// <summary>Queues the packets of one send (queue form) together. A full queue ends the session as a slow
    /// consumer; the caller never waits. Returns <see langword="false"/> when they were not queued.</summary>
    public bool TryEnqueue(byte[][] packets)
    {
        if (outbox.Queue.TryWriteAll(packets))
        {
            return true;
        }

        if (IsAlive && End(SessionEndReason.SlowConsumer))
        {
            owner.OnSlowConsumer(this);
        }

        return false;
    }

    /// <summary>Attaches a polling GET. Returns the problem (and ends the session when the client broke the rules)
    /// when it may not: after an upgrade, or while another GET is held.</summary>
    public TransportLease? AttachPoll(out string? problem)
    {
        TransportLease created;
        lock (gate)
        {
            problem = null;
            if (state != 0)
            {
                problem = "the session ended";
                return null;
            }

            if (upgrade == UpgradeState.Upgraded)
            {
                problem = "the session was upgraded to a WebSocket";
                return null;
            }

            if (outbox.Lease is { IsPoll: true })
            {
                problem = "a second GET while one was held";
            }
            else
            {
                created = new TransportLease(isPoll: true, timings.Now(), timings.TimeProvider);
                outbox.Replace(created);
                return created;
            }
        }

        End(SessionEndReason.Error);
        return null;
    }

    /// <summary>Attaches the WebSocket (polling GETs use <see cref="AttachPoll"/>), superseding a held GET.</summary>
    public TransportLease? Attach(bool isPoll, Action<object?>? cutOff = null, object? cutOffState = null)
    {
        TransportLease? previous;
        TransportLease created;
        lock (gate)
        {
            if (state != 0 || isPoll)
            {
                return null;
            }

            created = new TransportLease(isPoll: false, timings.Now(), timings.TimeProvider, cutOff, cutOffState);
            previous = outbox.Replace(created);
        }

        previous?.Supersede();
        return created;
    }

    /// <summary>Lets go of a connection. A WebSocket that goes ends the session (Engine.IO 4 does not resume one).</summary>
    public void Detach(TransportLease detached)
    {
        bool released;
        lock (gate)
        {
            released = outbox.Release(detached);
        }

        if (released && !detached.IsPoll)
        {
            End(SessionEndReason.Normal);
        }
    }

    public int TakeFrames(TransportLease lease, byte[][] into, int maxBytes, out Task? settled) =>
        outbox.TakeFrames(lease, into, maxBytes, out settled);

    public void Settle(TransportLease lease, bool written) => outbox.Settle(lease, written);

    /// <summary>Ends the session once, and every socket on it: on polling a close packet is queued (a held GET answers it),
    /// the attached connection sends what is left and closes, or is cut off at once when the client was dropped.</summary>
    public bool End(SessionEndReason reason)
    {
        TransportLease? current;
        Session[] ending;
        bool onWebSocket;
        lock (gate)
        {
            if (state != 0)
            {
                return false;
            }

            state = 1;
            EndReason = reason;
            current = outbox.Lease;
            onWebSocket = upgrade == UpgradeState.Upgraded;
            ending = sockets is null ? [] : [.. sockets];
            sockets = null;
        }

        if (!onWebSocket && reason is not (SessionEndReason.SlowConsumer or SessionEndReason.Timeout))
        {
            // On polling the close is a packet (a WebSocket closes itself once what is queued went out).
            outbox.Queue.TryWrite(ClosePacket);
        }

        outbox.Queue.TryComplete();
        if (reason is SessionEndReason.SlowConsumer or SessionEndReason.Timeout)
        {
            current?.Cancel();
        }
        else
        {
            current?.StartDeadline();
        }

        foreach (var socket in ending)
        {
            // A lost connection (the transport closed, a ping timed out; not the client's DISCONNECT, a protocol
            // error, a slow consumer or the server's own end): with recovery on the socket waits for its client.
            if (reason is not (SessionEndReason.Normal or SessionEndReason.Timeout) || !starter.TrySuspend(socket))
            {
                socket.EndFromEngine(reason);
            }
        }

        owner.OnEnded(this);
        return true;
    }

    /// <summary>The ping, its timeout and the connect timeout, driven by the sweep: no timer per session.</summary>
    public void Tick(long now)
    {
        SessionEndReason? end = null;
        var ping = false;
        lock (gate)
        {
            if (state != 0)
            {
                return;
            }

            if (!everConnected && now >= connectDeadline)
            {
                end = SessionEndReason.Normal; // closed, not dropped: a held GET gets the close packet
                owner.OnConnectTimeout(this);
            }
            else if (awaitingPong)
            {
                // Not while the server itself stopped reading the client (its pong may wait behind its input).
                if (receivesWaiting == 0 && now - pingSentAt >= timings.PingTimeout)
                {
                    end = SessionEndReason.Timeout;
                }
            }
            else if (now >= pingDueAt)
            {
                awaitingPong = true;
                pingSentAt = now;
                ping = true;
            }
        }

        if (end is { } reason)
        {
            End(reason);
        }
        else if (ping)
        {
            TryEnqueue([PingPacket]);
        }
    }

    private void OnPong()
    {
        lock (gate)
        {
            if (awaitingPong)
            {
                awaitingPong = false;
                pingDueAt = timings.Now() + timings.PingInterval;
            }
        }
    }

    public override string ToString() => "Engine.IO session " + Id + " (" + TransportName + ", " + StartedAt.ToString(CultureInfo.InvariantCulture) + ")";
}
