using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Sessions;

/// <summary>The server's own acks on a Socket.IO 5 socket: an event the server emits with an ack id waits for the
/// client's ACK of that id (docs/protocol-v5.md §2.1).</summary>
internal sealed partial class Session
{
    private Dictionary<long, TaskCompletionSource<JToken[]>>? pendingAcks; // created on first use
    private long lastAckId = -1;

    /// <summary>Reserves the next ack id of this socket; <paramref name="answer"/> completes with the client's ACK
    /// arguments, or is cancelled when the socket ends first.</summary>
    public long RegisterAck(out Task<JToken[]> answer)
    {
        var source = new TaskCompletionSource<JToken[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        answer = source.Task;
        lock (gate)
        {
            var id = ++lastAckId;
            if (state != 0)
            {
                source.TrySetCanceled();
                return id;
            }

            (pendingAcks ??= [])[id] = source;
            return id;
        }
    }

    /// <summary>The client answered the ack <paramref name="id"/>; an id nobody waits for is ignored.</summary>
    public void CompleteAck(long id, JToken[] args)
    {
        TaskCompletionSource<JToken[]>? source = null;
        lock (gate)
        {
            pendingAcks?.Remove(id, out source);
        }

        source?.TrySetResult(args);
    }

    /// <summary>Forgets an ack nobody waits for any more (its timeout passed).</summary>
    public void ForgetAck(long id)
    {
        lock (gate)
        {
            pendingAcks?.Remove(id);
        }
    }

    /// <summary>Cancels every ack still waiting (the socket ended).</summary>
    private void CancelPendingAcks()
    {
        Dictionary<long, TaskCompletionSource<JToken[]>>? pending;
        lock (gate)
        {
            pending = pendingAcks;
            pendingAcks = null;
        }

        if (pending is not null)
        {
            foreach (var source in pending.Values)
            {
                source.TrySetCanceled();
            }
        }
    }
}
