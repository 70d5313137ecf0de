namespace SocketIoChannels.LoadTest.Servers;

/// <summary>One session of <see cref="RawPollingServer"/>: the frames queued for it and the poll waiting for them.
/// Frames a poll took when its client went away are not put back (the raw floor does not promise delivery).</summary>
internal sealed class RawPollSession(string id, bool v5)
{
    private readonly List<byte[]> queue = [];
    private TaskCompletionSource<bool>? waiting;

    public string Id { get; } = id;

    /// <summary>Engine.IO 4 (packets joined by U+001E), else Socket.IO 0.6 (frames back to back).</summary>
    public bool V5 { get; } = v5;

    public void Enqueue(byte[] frame)
    {
        TaskCompletionSource<bool>? wake;
        lock (queue)
        {
            queue.Add(frame);
            wake = waiting;
            waiting = null;
        }

        wake?.TrySetResult(true);
    }

    /// <summary>Ends the poll that waits, if any (the session closed).</summary>
    public void Close()
    {
        TaskCompletionSource<bool>? wake;
        lock (queue)
        {
            wake = waiting;
            waiting = null;
        }

        wake?.TrySetResult(false);
    }

    /// <summary>What is queued, at once or when something comes; null when the client went away, a newer poll took
    /// over or the session closed.</summary>
    public async ValueTask<byte[][]?> TakeAsync(CancellationToken aborted)
    {
        TaskCompletionSource<bool> wait;
        TaskCompletionSource<bool>? superseded;
        lock (queue)
        {
            if (queue.Count > 0)
            {
                return TakeLocked();
            }

            superseded = waiting;
            wait = waiting = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        superseded?.TrySetResult(false);
        using (aborted.UnsafeRegister(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(false), wait))
        {
            if (!await wait.Task.ConfigureAwait(false))
            {
                lock (queue)
                {
                    if (ReferenceEquals(waiting, wait))
                    {
                        waiting = null;
                    }
                }

                return null;
            }
        }

        lock (queue)
        {
            return queue.Count > 0 ? TakeLocked() : null;
        }
    }

    private byte[][] TakeLocked()
    {
        var frames = queue.ToArray();
        queue.Clear();
        return frames;
    }
}
