namespace SocketIoChannels.Sessions;

/// <summary>
/// The outbound side every kind of session shares (a 0.6 <see cref="Session"/>, an <see cref="EngineIoSession"/>):
/// the bounded queue of encoded frames, the lease of the one attached transport connection, and the hand-off of
/// frames to that connection's writes. Nothing is lost, nothing reordered: a connection takes a batch with
/// <see cref="TakeFrames"/> and settles it with <see cref="Settle"/> once its write completed or failed; frames whose
/// write did not complete go back to the front of the queue, in order, for the next poll or the resumed connection.
/// One batch is out at a time: a newer connection waits until the batch of the one before it is settled, so it never
/// sends later frames ahead of frames that come back.
/// </summary>
/// <remarks>The lease and the hand-off are decided under the owning session's lock (<c>gate</c>), in the same hold as
/// the session's own decisions about them (attach, detach, end).</remarks>
internal sealed class SessionOutbox
{
    private static readonly Func<byte[], int> LengthOf = static frame => frame.Length;

    private readonly object gate;
    private TransportLease? handOffLease; // the lease whose taken frames are not settled yet
    private byte[][]? handOffFrames;
    private int handOffCount;
    private TaskCompletionSource? handOffSettled; // created only when a connection waits for another's batch
    private TransportLease? released; // the last connection let go (not a poll): the next one supersedes it

    public SessionOutbox(object gate, int capacity)
    {
        this.gate = gate;
        Queue = new SessionQueue<byte[]>(capacity, initialSize: 4);
    }

    /// <summary>The queue of encoded frames (0.6) or packets in queue form (Engine.IO).</summary>
    public SessionQueue<byte[]> Queue { get; }

    /// <summary>The attached connection's lease, or <see langword="null"/>. Read and written under the owner's lock.</summary>
    public TransportLease? Lease { get; private set; }

    /// <summary>Under the owner's lock: makes a new lease the current one and returns the one it replaces, or the
    /// streaming connection let go last (to be superseded by the caller, outside the lock).</summary>
    public TransportLease? Replace(TransportLease created)
    {
        var previous = Lease ?? released;
        released = null;
        Lease = created;
        return previous;
    }

    /// <summary>Under the owner's lock: lets go of <paramref name="detached"/>; <see langword="false"/> when it was not
    /// the current lease.</summary>
    public bool Release(TransportLease detached)
    {
        if (!ReferenceEquals(Lease, detached))
        {
            return false;
        }

        Lease = null;

        // A WebSocket lets go of its session before it stops its send loop (WebSocketConnection.CloseAsync), which
        // may still be waiting on the queue meanwhile: a connection that resumes the session at that moment
        // supersedes it, so the old wait ends before the new loop waits (the queue has one reader at a time). A poll
        // lets go only after its wait ended.
        released = detached.IsPoll ? null : detached;
        return true;
    }

    /// <summary>Takes queued frames into <paramref name="into"/> for one write by the connection holding
    /// <paramref name="lease"/>, until <paramref name="into"/> is full or about <paramref name="maxBytes"/> bytes are
    /// taken; returns how many (0 when none are queued, or when a newer connection has the session). While another
    /// connection's batch is out, takes none and returns in <paramref name="settled"/> the task to wait for. Each
    /// batch taken must be settled, before <paramref name="into"/> is reused.</summary>
    public int TakeFrames(TransportLease lease, byte[][] into, int maxBytes, out Task? settled)
    {
        settled = null;
        lock (gate)
        {
            if (handOffLease is not null)
            {
                settled = (handOffSettled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return 0;
            }

            // A superseded connection takes nothing: the newer one has the queue (a detached one may finish it).
            if (lease.Superseded || (Lease is not null && !ReferenceEquals(Lease, lease)))
            {
                return 0;
            }

            var count = Queue.TryReadMany(into, LengthOf, maxBytes);
            if (count > 0)
            {
                handOffLease = lease;
                handOffFrames = into;
                handOffCount = count;
            }

            return count;
        }
    }

    /// <summary>Settles the batch <paramref name="lease"/> took: when its write did not complete
    /// (<paramref name="written"/> false), its frames go back to the front of the queue.</summary>
    public void Settle(TransportLease lease, bool written)
    {
        TaskCompletionSource? waiting;
        lock (gate)
        {
            if (!ReferenceEquals(handOffLease, lease))
            {
                return;
            }

            if (!written)
            {
                Queue.PutBackAtFront(handOffFrames.AsSpan(0, handOffCount));
            }

            handOffLease = null;
            handOffFrames = null;
            handOffCount = 0;
            waiting = handOffSettled;
            handOffSettled = null;
        }

        waiting?.TrySetResult();
    }
}
