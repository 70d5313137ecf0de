using System.Threading.Channels;
using System.Threading.Tasks.Sources;

namespace SocketIoChannels.Sessions;

/// <summary>
/// A session's bounded queue: any number of writers, one reader at a time. Lighter than a
/// <see cref="System.Threading.Channels.Channel{T}"/> where it matters for thousands of idle sessions: one object
/// plus a small ring buffer that grows on demand up to the capacity, and one reusable waiter for the reader (no
/// allocation per wait). <see cref="TryWrite"/> never waits; <see cref="WriteAsync"/> waits while the queue is full
/// (back-pressure on the one client that sends too fast). Completing the queue lets the reader take what is left.
/// </summary>
/// <remarks>Full: <c>capacity</c> items or (with a size measure) <c>maxSize</c> of their total size; an item larger
/// than <c>maxSize</c> still goes into an empty queue, so nothing waits forever. With <c>initialSize</c> 0 the buffer
/// exists only while items are queued.</remarks>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class SessionQueue<T> : ChannelReader<T>, IValueTaskSource<bool>
{
    private readonly int capacity;
    private readonly int maxSize;
    private readonly Func<T, int>? sizeOf;
    private readonly bool bufferOnlyWhileQueued; // no buffer while empty: an idle session keeps none
    private T[] items;
    private int head;
    private int count;
    private int size; // at most maxSize plus one item: both are bounded by int.MaxValue / 2 (the options validator)
    private bool completed;
    private bool readerWaiting;
    private ManualResetValueTaskSourceCore<bool> waiter = new() { RunContinuationsAsynchronously = true };
    // The reader's token stays registered from one wait to the next (a connection's send loop waits with the same
    // token for its whole life): a registration per wait cost a register and an unregister per batch sent. It is
    // replaced when a wait comes with another token, and let go when the queue is completed.
    private CancellationTokenRegistration waiterRegistration;
    private CancellationToken waitToken; // the token of the current wait: a late callback of an earlier wait must not cancel it
    private bool resultPending; // the reusable waiter completed and its reader has not taken the result yet
    private TaskCompletionSource<bool>? fallbackWaiter; // a new reader came before that (a poll superseding a poll)
    private TaskCompletionSource? space;

    public SessionQueue(int capacity, int initialSize, Func<T, int>? sizeOf = null, int maxSize = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        this.capacity = capacity;
        this.sizeOf = sizeOf;
        this.maxSize = maxSize;
        bufferOnlyWhileQueued = initialSize == 0;
        items = bufferOnlyWhileQueued ? [] : new T[Math.Clamp(initialSize, 1, capacity)];
    }

    public override bool CanCount => true;

    public override bool CanPeek => true;

    public override int Count
    {
        get
        {
            lock (Gate)
            {
                return count;
            }
        }
    }

    /// <summary>The total size of the queued items, by the queue's size measure (0 without one).</summary>
    public int Size
    {
        get
        {
            lock (Gate)
            {
                return size;
            }
        }
    }

    // The queue is internal and never handed to code that could lock on it: locking on itself saves an object
    // per session.
    private object Gate => this;

    /// <summary>Queues an item unless the queue is full or completed; never waits.</summary>
    public bool TryWrite(T item)
    {
        lock (Gate)
        {
            if (completed || !HasRoomFor(item))
            {
                return false;
            }

            Enqueue(item);
            WakeReader(true);
            return true;
        }
    }

    /// <summary>Queues all of <paramref name="items"/> together, next to each other, or none of them (when they do
    /// not all fit or the queue is completed); never waits.</summary>
    public bool TryWriteAll(ReadOnlySpan<T> items)
    {
        lock (Gate)
        {
            if (completed || count + items.Length > capacity)
            {
                return false;
            }

            foreach (var item in items)
            {
                Enqueue(item);
            }

            WakeReader(true);
            return true;
        }
    }

    /// <summary>Queues an item, waiting while the queue is full. Throws <see cref="ChannelClosedException"/> when
    /// the queue is completed.</summary>
    public async ValueTask WriteAsync(T item, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (Gate)
            {
                if (completed)
                {
                    throw new ChannelClosedException();
                }

                if (HasRoomFor(item))
                {
                    Enqueue(item);
                    WakeReader(true);
                    return;
                }

                space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = space.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No more writes; the reader still gets what is queued. <see langword="false"/> when already done.</summary>
    public bool TryComplete()
    {
        lock (Gate)
        {
            if (completed)
            {
                return false;
            }

            completed = true;
            WakeReader(false);
            ReleaseRegistration();
            ReleaseWriters();
            return true;
        }
    }

    /// <summary>Puts items a reader took but could not deliver back at the front, in their order, ahead of
    /// everything queued since: the next reader takes them first. They were counted once already, so they go back
    /// even past the capacity (writers then wait, or fail, until the queue drains) and into a completed queue.</summary>
    public void PutBackAtFront(ReadOnlySpan<T> taken)
    {
        if (taken.IsEmpty)
        {
            return;
        }

        lock (Gate)
        {
            var total = count + taken.Length;
            if (total > items.Length)
            {
                var larger = new T[Math.Max(total, Math.Min(capacity, items.Length * 2))];
                for (var i = 0; i < count; i++)
                {
                    larger[taken.Length + i] = items[(head + i) % items.Length];
                }

                items = larger;
                head = 0;
            }
            else
            {
                head = (head - taken.Length + items.Length) % items.Length;
            }

            for (var i = 0; i < taken.Length; i++)
            {
                items[(head + i) % items.Length] = taken[i];
            }

            count = total;
            if (sizeOf is not null)
            {
                foreach (var item in taken)
                {
                    size += sizeOf(item);
                }
            }

            WakeReader(true);
        }
    }

    public override bool TryRead(out T item)
    {
        lock (Gate)
        {
            if (count == 0)
            {
                item = default!;
                return false;
            }

            item = Dequeue();
            AfterTaking();
            return true;
        }
    }

    /// <summary>Takes items from the front into <paramref name="into"/>, in order, under one hold of the lock: until
    /// it is full, the queue is empty, or the items taken add up to <paramref name="maxLength"/> by
    /// <paramref name="lengthOf"/> (the item that reaches it is taken). Returns how many.</summary>
    public int TryReadMany(Span<T> into, Func<T, int> lengthOf, int maxLength)
    {
        lock (Gate)
        {
            var taken = 0;
            var length = 0;
            while (taken < into.Length && count > 0 && length < maxLength)
            {
                var item = Dequeue();
                into[taken++] = item;
                length += lengthOf(item);
            }

            if (taken > 0)
            {
                AfterTaking();
            }

            return taken;
        }
    }

    public override bool TryPeek(out T item)
    {
        lock (Gate)
        {
            if (count == 0)
            {
                item = default!;
                return false;
            }

            item = items[head];
            return true;
        }
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        lock (Gate)
        {
            if (count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (completed)
            {
                return new ValueTask<bool>(false);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<bool>(cancellationToken);
            }

            if (readerWaiting)
            {
                if (!waitToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException("A session queue has one reader at a time.");
                }

                // The reader before this one was stopped (its connection superseded or closed): its token fired, but
                // the cancellation callback runs on the thread that cancelled and may not have got the lock yet
                // (CancellationTokenSource.Cancel on an already cancelled source returns without waiting for it).
                // End that wait now, as the callback would; the callback then finds another wait and does nothing.
                EndWaitCancelled(waitToken);
            }

            readerWaiting = true;
            ValueTask<bool> wait;
            if (Volatile.Read(ref resultPending))
            {
                // The reusable waiter cannot be reset before its previous reader took its result.
                fallbackWaiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = new ValueTask<bool>(fallbackWaiter.Task);
            }
            else
            {
                waiter.Reset();
                wait = new ValueTask<bool>(this, waiter.Version);
            }

            if (cancellationToken.CanBeCanceled)
            {
                waitToken = cancellationToken;
                if (waiterRegistration.Token != cancellationToken)
                {
                    waiterRegistration.Unregister();
                    waiterRegistration = cancellationToken.UnsafeRegister(static (state, token) => ((SessionQueue<T>)state!).CancelWait(token), this);
                }
            }

            return wait;
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        try
        {
            return waiter.GetResult(token);
        }
        finally
        {
            Volatile.Write(ref resultPending, false);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        waiter.OnCompleted(continuation, state, token, flags);

    private bool HasRoomFor(T item) =>
        count < capacity && (sizeOf is null || count == 0 || size + sizeOf(item) <= maxSize);

    private void Enqueue(T item)
    {
        if (sizeOf is not null)
        {
            size += sizeOf(item);
        }

        if (count == items.Length)
        {
            var larger = new T[Math.Min(capacity, Math.Max(1, items.Length * 2))];
            for (var i = 0; i < count; i++)
            {
                larger[i] = items[(head + i) % items.Length];
            }

            items = larger;
            head = 0;
        }

        items[(head + count) % items.Length] = item;
        count++;
    }

    // Under the lock, with count > 0: the front item, taken out.
    private T Dequeue()
    {
        var item = items[head];
        items[head] = default!;
        head = head + 1 == items.Length ? 0 : head + 1;
        count--;
        if (sizeOf is not null)
        {
            size -= sizeOf(item);
        }

        return item;
    }

    // Under the lock, after items were taken.
    private void AfterTaking()
    {
        // Emptied: let go of the buffer when asked to (head is read again only after a write grew a new one).
        items = count == 0 && bufferOnlyWhileQueued ? [] : items;
        ReleaseWriters();
    }

    // Under the lock. The continuation runs on the thread pool, never inline under the lock.
    private void WakeReader(bool result)
    {
        if (!readerWaiting)
        {
            return;
        }

        readerWaiting = false;
        waitToken = default;
        if (fallbackWaiter is { } fallback)
        {
            fallbackWaiter = null;
            fallback.TrySetResult(result);
        }
        else
        {
            resultPending = true;
            waiter.SetResult(result);
        }
    }

    private void CancelWait(CancellationToken token)
    {
        lock (Gate)
        {
            if (!readerWaiting || token != waitToken)
            {
                return; // a callback of an earlier wait that lost the race against WakeReader or a newer reader
            }

            EndWaitCancelled(token);
        }
    }

    // Under the lock, with a reader waiting: its wait ends as cancelled by token.
    private void EndWaitCancelled(CancellationToken token)
    {
        readerWaiting = false;
        waitToken = default;
        if (fallbackWaiter is { } fallback)
        {
            fallbackWaiter = null;
            fallback.TrySetCanceled(token);
        }
        else
        {
            resultPending = true;
            waiter.SetException(new OperationCanceledException(token));
        }
    }

    // Under the lock.
    private void ReleaseRegistration()
    {
        waiterRegistration.Unregister();
        waiterRegistration = default;
    }

    // Under the lock. A released writer checks again whether its item fits (by size, one may not yet).
    private void ReleaseWriters()
    {
        if (space is not null && (completed || count < capacity))
        {
            space.TrySetResult();
            space = null;
        }
    }
}
