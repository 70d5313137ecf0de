using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>
/// Connection state recovery of a Socket.IO 5 socket (docs/protocol-v5.md §2.3): a socket whose connection was lost
/// is suspended, not ended (no teardown events, its channels kept, sends to it recorded and not queued); restored on
/// a new Engine.IO session it answers the CONNECT with the same id and gets what it missed; the sweep ends it when
/// the window passes first (<see cref="Tick"/>).
/// </summary>
internal sealed partial class Session
{
    private volatile bool suspended;
    private long suspendedAt;

    /// <summary>The private id of a Socket.IO 5 socket with recovery on (<c>pid</c> of its CONNECT answer), else
    /// <see langword="null"/>.</summary>
    public string? Pid { get; set; }

    /// <summary>The recovery offset before the socket was created: what a client that has no offset yet missed
    /// comes after it.</summary>
    public long RecoveryBaseline { get; set; }

    /// <summary>Whether the socket is suspended, waiting for its client to come back.</summary>
    public bool IsSuspended => suspended;

    private JObject ConnectAnswer() => Pid is null ? new JObject { ["sid"] = Id } : new JObject { ["sid"] = Id, ["pid"] = Pid };

    /// <summary>Suspends the socket because its Engine.IO session lost its connection. <see langword="false"/> (and
    /// nothing changed) when it has no private id, its CONNECT was not accepted, or it ended.</summary>
    internal bool TrySuspend()
    {
        lock (gate)
        {
            if (state != 0 || Pid is null || !connectAnswered || ConnectRefused || suspended)
            {
                return false;
            }

            suspendedAt = timings.Now();
            suspended = true;
        }

        owner.OnSuspended(this);
        return true;
    }

    /// <summary>Restores a suspended socket on <paramref name="newEngine"/>: it becomes that session's socket for its
    /// namespace, and the CONNECT answer then <paramref name="missed"/> are queued, in order, before any later send
    /// (the caller holds the broadcaster's order lock). <see langword="false"/> when it ended or is not suspended.</summary>
    internal bool Resume(EngineIoSession newEngine, List<OutboundMessage> missed)
    {
        byte[][] packets;
        lock (gate)
        {
            if (state != 0 || !suspended)
            {
                return false;
            }

            var all = new List<byte[]>(missed.Count + 1)
            {
                EngineIoCodec.QueuedText(EngineIoPacketType.Message, SocketIoPacketCodec.Encode(SocketIoPacketType.Connect, Namespace, null, ConnectAnswer())),
            };
            foreach (var message in missed)
            {
                all.AddRange(message.PacketsV5(Namespace));
            }

            packets = [.. all];
            engine = newEngine;
            suspended = false;
            newEngine.RegisterSocket(Namespace, this);
        }

        owner.OnResumed(this);

        if (!newEngine.TryEnqueue(packets))
        {
            End(SessionEndReason.SlowConsumer);
        }

        return true;
    }
}
