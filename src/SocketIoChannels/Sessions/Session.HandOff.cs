namespace SocketIoChannels.Sessions;

/// <summary>
/// The hand-off of outbound frames to the transport writes (nothing lost, nothing reordered): a connection takes a
/// batch with <see cref="TakeFrames"/> and settles it with <see cref="Settle"/> once its write completed or failed.
/// Frames whose write did not complete go back to the front of the queue, in order, for the next poll or the
/// resumed connection. One batch is out at a time: a newer connection waits until the batch of the one before it is
/// settled, so it never sends later frames ahead of frames that come back.
/// </summary>
internal sealed partial class Session
{
    private TransportLease? handOffLease; // the lease whose taken frames are not settled yet
    private byte[][]? handOffFrames;
    private int handOffCount;
    private TaskCompletionSource? handOffSettled; // created only when a connection waits for another's batch

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
            if (lease.Superseded || (this.lease is not null && !ReferenceEquals(this.lease, lease)))
            {
                return 0;
            }

            var count = 0;
            var bytes = 0;
            while (count < into.Length && bytes < maxBytes && outbound.TryRead(out var frame))
            {
                into[count++] = frame;
                bytes += frame.Length;
            }

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
                outbound.PutBackAtFront(handOffFrames.AsSpan(0, handOffCount));
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
