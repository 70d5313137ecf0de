using System.Text;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>
/// A Socket.IO 5 namespace socket (docs/protocol-v5.md §2.2): a session whose connection is its
/// <see cref="EngineIoSession"/>. Its sends go into the Engine.IO session's queue, all packets of one send together;
/// until the server loop accepted (or refused) its CONNECT they wait in a list of the socket's own, so the CONNECT
/// answer goes first. It has no queue or connection of its own beside that.
/// </summary>
internal sealed partial class Session
{
    private EngineIoSession? engine; // replaced when a suspended socket is restored on a new Engine.IO session
    private volatile bool connectAnswered; // AcceptConnect or RefuseConnect ran: sends go straight to the Engine.IO session
    private bool endedByEngine; // the client left the namespace, or the Engine.IO session ended: no DISCONNECT to send
    private List<byte[]>? beforeConnect; // sends before the CONNECT answer, created by the first (most sockets have none)

    /// <summary>A Socket.IO 5 socket in <paramref name="nsp"/> of <paramref name="engine"/>.</summary>
    public static Session ForSocket(string id, EngineIoSession engine, string nsp, JObject? auth, SessionTimings timings, ISessionOwner owner) =>
        new(id, engine.TransportName, engine.Request, timings, owner, timings.Now(), engine)
        {
            Namespace = nsp,
            Auth = auth,
        };

    /// <summary>The Engine.IO session of a Socket.IO 5 socket; <see langword="null"/> for 0.6 sessions.</summary>
    public EngineIoSession? EngineIo => engine;

    /// <summary>Set when <see cref="RefuseConnect"/> refused the socket's CONNECT: the loop runs no OnDisconnect.</summary>
    public bool ConnectRefused { get; private set; }

    /// <summary>The server loop accepted the CONNECT (after OnConnect ran): <c>40{"sid":…}</c> goes to the client,
    /// then everything OnConnect sent, in order. Nothing for 0.6 sessions (they have no CONNECT) or when already
    /// answered.</summary>
    public void AcceptConnect()
    {
        if (engine is null)
        {
            return;
        }

        lock (gate)
        {
            if (connectAnswered || state != 0)
            {
                return;
            }

            var answer = ConnectAnswer();
            var waiting = beforeConnect?.Count ?? 0;
            var packets = new byte[waiting + 1][];
            packets[0] = EngineIoCodec.QueuedText(EngineIoPacketType.Message, SocketIoPacketCodec.Encode(SocketIoPacketType.Connect, Namespace, null, answer));
            beforeConnect?.CopyTo(packets, 1);
            beforeConnect = null;
            connectAnswered = true;
            if (engine.TryEnqueue(packets))
            {
                return;
            }
        }

        End(SessionEndReason.SlowConsumer);
    }

    /// <summary>The server loop refused the CONNECT: <c>44{"message":…,"data":…}</c> goes to the client, what
    /// OnConnect sent is dropped, and the socket ends without OnDisconnect (<see cref="ConnectRefused"/>). Nothing
    /// for 0.6 sessions or when already answered.</summary>
    public void RefuseConnect(string message, JToken? data)
    {
        if (engine is null)
        {
            return;
        }

        lock (gate)
        {
            if (connectAnswered || state != 0)
            {
                return;
            }

            connectAnswered = true;
            ConnectRefused = true;
            beforeConnect = null;

            engine.TryEnqueue([ConnectError(Namespace, message, data)]);
        }

        End(SessionEndReason.Error);
    }

    /// <summary>The CONNECT_ERROR packet, in queue form.</summary>
    internal static byte[] ConnectError(string nsp, string message, JToken? data)
    {
        var error = new JObject { ["message"] = message };
        if (data is not null)
        {
            error["data"] = data;
        }

        return EngineIoCodec.QueuedText(EngineIoPacketType.Message, SocketIoPacketCodec.Encode(SocketIoPacketType.ConnectError, nsp, null, error));
    }

    /// <summary>Ends the socket because its client left the namespace or its Engine.IO session ended: no DISCONNECT
    /// goes to the client.</summary>
    internal void EndFromEngine(SessionEndReason reason)
    {
        lock (gate)
        {
            endedByEngine = true;
        }

        End(reason);
    }

    /// <summary>Whether the client must be told the socket ended (the server disconnected it).</summary>
    internal bool ShouldSendDisconnect
    {
        get
        {
            lock (gate)
            {
                return !endedByEngine && !ConnectRefused && connectAnswered;
            }
        }
    }

    /// <summary>Queues the packets of one send (queue form), together; a full queue ends the Engine.IO session (and
    /// with it this socket) as a slow consumer.</summary>
    private bool TryEnqueuePackets(byte[][] packets)
    {
        if (engine is null)
        {
            return false;
        }

        if (suspended)
        {
            return true; // recorded for its recovery (sends that take no offset are lost with the connection)
        }

        if (!connectAnswered)
        {
            lock (gate)
            {
                if (!connectAnswered)
                {
                    // Before the CONNECT answer: wait in this socket's list (bounded like any queue).
                    if (state != 0)
                    {
                        return false;
                    }

                    beforeConnect ??= [];
                    if (beforeConnect.Count + packets.Length <= timings.MaxQueuedFrames)
                    {
                        beforeConnect.AddRange(packets);
                        return true;
                    }
                }
            }

            if (!connectAnswered)
            {
                if (End(SessionEndReason.SlowConsumer))
                {
                    owner.OnSlowConsumer(this);
                }

                return false;
            }
        }

        return engine.TryEnqueue(packets);
    }

    /// <summary>Queues one command of the client for the session loop, waiting while the loop is behind (the same
    /// back-pressure as 0.6 payloads). Returns a problem when the socket ended first.</summary>
    internal async ValueTask<string?> EnqueueCommandAsync(InboundCommand command, int size, CancellationToken cancellationToken)
    {
        var batch = InboundBatch.From([command], size);
        if (inbound.TryWrite(batch))
        {
            return null;
        }

        try
        {
            await inbound.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            return "the socket ended before its messages were handled";
        }
    }
}
