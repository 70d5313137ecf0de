using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The session queue on its own: order, bounds, the reusable reader waiter and its fallback, cancellation on
/// a fake clock, writers racing, and completion.</summary>
public sealed class SessionQueueTests
{
    [Fact]
    public void ItemsComeOutInOrderAcrossGrowthAndWrapAroundUpToTheCapacity()
    {
        var queue = new SessionQueue<int>(capacity: 8, initialSize: 1);
        var next = 0;
        var expected = 0;
        for (var round = 0; round < 5; round++)
        {
            while (queue.TryWrite(next))
            {
                next++;
            }

            Assert.Equal(8, queue.Count); // full: TryWrite refused without waiting
            for (var i = 0; i < 5; i++)
            {
                Assert.True(queue.TryRead(out var item));
                Assert.Equal(expected++, item);
            }
        }

        Assert.True(queue.TryPeek(out var head));
        Assert.Equal(expected, head);
    }

    [Fact]
    public async Task AQueueWithoutABufferWhileEmptyKeepsOrderBoundsAndPutBacksAcrossDrains()
    {
        var queue = new SessionQueue<int>(capacity: 3, initialSize: 0);
        var next = 0;
        var expected = 0;
        for (var round = 0; round < 4; round++)
        {
            while (queue.TryWrite(next))
            {
                next++;
            }

            Assert.Equal(3, queue.Count);
            while (queue.TryRead(out var item))
            {
                Assert.Equal(expected++, item); // drained to empty: the buffer goes, the next write makes a new one
            }
        }

        // Taken items put back into the emptied queue come out first, ahead of a later write, past the capacity.
        queue.PutBackAtFront([100, 101, 102]);
        Assert.True(queue.TryWrite(103) is false);
        Assert.True(queue.TryRead(out var first));
        Assert.True(queue.TryWrite(103));
        var rest = new List<int>();
        while (queue.TryRead(out var item))
        {
            rest.Add(item);
        }

        Assert.Equal([100, 101, 102, 103], [first, .. rest]);
        var reading = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.True(queue.TryWrite(7));
        Assert.True(await reading.DefaultTimeout());
        Assert.True(queue.TryRead(out var last));
        Assert.Equal(7, last);
    }

    [Fact]
    public async Task AWaitingReaderIsWokenByAWriteOffTheWritersThread()
    {
        var queue = new SessionQueue<string>(capacity: 4, initialSize: 1);
        for (var cycle = 0; cycle < 100; cycle++)
        {
            var wait = queue.WaitToReadAsync();
            Assert.False(wait.IsCompleted);
            var writer = Environment.CurrentManagedThreadId;
            var writing = true;
            var ranInline = false;
            var continued = Continue(wait, () => ranInline = Volatile.Read(ref writing) && Environment.CurrentManagedThreadId == writer);
            Assert.True(queue.TryWrite("item " + cycle));
            Volatile.Write(ref writing, false);
            Assert.True(await continued.DefaultTimeout());
            Assert.False(ranInline); // never inline in the writer's call (it holds the lock)
            Assert.True(queue.TryRead(out var item));
            Assert.Equal("item " + cycle, item);
        }

        static async Task<bool> Continue(ValueTask<bool> wait, Action then)
        {
            var result = await wait;
            then();
            return result;
        }
    }

    [Fact]
    public async Task AReaderThatComesBeforeThePreviousOneTookItsResultGetsTheFallbackWaiter()
    {
        var queue = new SessionQueue<int>(capacity: 4, initialSize: 1);
        var first = queue.WaitToReadAsync();
        Assert.True(queue.TryWrite(1));
        Assert.True(queue.TryRead(out _));

        // The first wait completed but its reader (a superseded poll) has not taken the result yet: the reusable
        // waiter cannot be reset, so the next reader waits on its own.
        var second = queue.WaitToReadAsync();
        Assert.False(second.IsCompleted);
        Assert.True(queue.TryWrite(2));
        Assert.True(await second.AsTask().DefaultTimeout());
        Assert.True(await first.AsTask().DefaultTimeout()); // the first still gets its own result

        // Once taken, the reusable waiter serves again.
        var third = queue.WaitToReadAsync();
        Assert.True(third.IsCompleted); // 2 is still queued
        Assert.True(queue.TryRead(out var item));
        Assert.Equal(2, item);
        var fourth = queue.WaitToReadAsync();
        Assert.True(queue.TryComplete());
        Assert.False(await fourth.AsTask().DefaultTimeout());
    }

    [Fact]
    public void OneReaderAtATime()
    {
        var queue = new SessionQueue<int>(capacity: 4, initialSize: 1);
        _ = queue.WaitToReadAsync();
        Assert.Throws<InvalidOperationException>(() => queue.WaitToReadAsync());
    }

    /// <summary>A connection superseded while its send loop waits: the token fired, but the cancellation callback
    /// (run by whichever thread cancelled first) has not ended the wait when the new connection's loop starts to wait.
    /// Seen under load: the new loop threw "one reader at a time", and its connection was cut off.</summary>
    [Fact]
    public async Task ANewReaderTakesOverFromAReaderWhoseTokenFiredBeforeItsCallbackRan()
    {
        var queue = new SessionQueue<int>(capacity: 4, initialSize: 1);
        using var superseded = new CancellationTokenSource();
        var oldWait = queue.WaitToReadAsync(superseded.Token).AsTask();

        ValueTask<bool> newWait;
        Task cancelling;
        lock (queue) // the queue's own lock: the callback cannot get in until this block ends
        {
            cancelling = Task.Run(superseded.Cancel);
            Assert.True(SpinWait.SpinUntil(() => superseded.IsCancellationRequested, TimeSpan.FromSeconds(15)));
            Assert.False(oldWait.IsCompleted); // its callback waits for the lock
            newWait = queue.WaitToReadAsync(CancellationToken.None);
        }

        await cancelling.DefaultTimeout(); // the late callback finds the new wait and leaves it alone
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => oldWait).DefaultTimeout();
        var woken = newWait.AsTask();
        Assert.False(woken.IsCompleted);
        Assert.True(queue.TryWrite(1));
        Assert.True(await woken.DefaultTimeout());

        // A second reader while the first's token has not fired is still a defect.
        Assert.True(queue.TryRead(out _));
        using var live = new CancellationTokenSource();
        _ = queue.WaitToReadAsync(live.Token);
        Assert.Throws<InvalidOperationException>(() => queue.WaitToReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AWaitEndsWhenItsTokenFiresAndALaterWaitIsNotCancelledByAnEarlierToken()
    {
        var time = new FakeTimeProvider();
        var queue = new SessionQueue<int>(capacity: 4, initialSize: 1);

        using var shortWait = new CancellationTokenSource(TimeSpan.FromSeconds(20), time); // a poll's duration
        var timedOut = queue.WaitToReadAsync(shortWait.Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(timedOut.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => timedOut).DefaultTimeout();

        using var earlier = new CancellationTokenSource();
        var woken = queue.WaitToReadAsync(earlier.Token);
        Assert.True(queue.TryWrite(1));
        Assert.True(await woken.AsTask().DefaultTimeout());
        Assert.True(queue.TryRead(out _));

        using var later = new CancellationTokenSource();
        var pending = queue.WaitToReadAsync(later.Token).AsTask();
        await earlier.CancelAsync(); // the earlier wait's token: its registration is gone, the new wait is not touched
        await Task.Delay(20);
        Assert.False(pending.IsCompleted);
        Assert.True(queue.TryWrite(2));
        Assert.True(await pending.DefaultTimeout());
    }

    [Fact]
    public async Task OneTokenAcrossManyWaitsStillEndsTheWaitInProgressAndAnyLaterOne()
    {
        // A WebSocket's send loop waits with its connection's token for the whole connection.
        var queue = new SessionQueue<int>(capacity: 4, initialSize: 1);
        using var connection = new CancellationTokenSource();
        for (var i = 0; i < 100; i++)
        {
            var woken = queue.WaitToReadAsync(connection.Token);
            Assert.True(queue.TryWrite(i));
            Assert.True(await woken.AsTask().DefaultTimeout());
            Assert.True(queue.TryRead(out var item));
            Assert.Equal(i, item);
        }

        var waiting = queue.WaitToReadAsync(connection.Token).AsTask();
        await Task.Delay(20);
        Assert.False(waiting.IsCompleted);
        await connection.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting).DefaultTimeout();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.WaitToReadAsync(connection.Token).AsTask()).DefaultTimeout();

        // A new connection's token works on the same queue.
        using var next = new CancellationTokenSource();
        var resumed = queue.WaitToReadAsync(next.Token);
        Assert.True(queue.TryWrite(7));
        Assert.True(await resumed.AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task ABatchReadTakesInOrderUpToTheSpanOrTheLengthBoundAndReleasesAWaitingWriter()
    {
        var queue = new SessionQueue<string>(capacity: 5, initialSize: 1);
        foreach (var item in new[] { "aa", "bbb", "c", "dddd", "e" })
        {
            Assert.True(queue.TryWrite(item));
        }

        var blocked = queue.WriteAsync("f", CancellationToken.None).AsTask();
        var into = new string[3];
        Assert.Equal(2, queue.TryReadMany(into, static s => s.Length, maxLength: 4)); // "bbb" reaches the bound: taken
        Assert.Equal(["aa", "bbb"], into[..2]);
        await blocked.DefaultTimeout();

        Assert.Equal(3, queue.TryReadMany(into, static s => s.Length, maxLength: int.MaxValue)); // the span is full
        Assert.Equal(["c", "dddd", "e"], into);
        Assert.Equal(1, queue.TryReadMany(into, static s => s.Length, maxLength: int.MaxValue));
        Assert.Equal("f", into[0]);
        Assert.Equal(0, queue.TryReadMany(into, static s => s.Length, maxLength: int.MaxValue));
    }

    [Fact]
    public async Task AWriterWaitsWhileTheQueueIsFullAndGoesOnWhenTheReaderTakesOne()
    {
        var queue = new SessionQueue<int>(capacity: 2, initialSize: 2);
        await queue.WriteAsync(1, CancellationToken.None).AsTask().DefaultTimeout();
        await queue.WriteAsync(2, CancellationToken.None).AsTask().DefaultTimeout();
        var third = queue.WriteAsync(3, CancellationToken.None).AsTask();
        using var giveUp = new CancellationTokenSource();
        var fourth = queue.WriteAsync(4, giveUp.Token).AsTask();
        await Task.Delay(20);
        Assert.False(third.IsCompleted);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fourth).DefaultTimeout();
        Assert.True(queue.TryRead(out var first));
        await third.DefaultTimeout();
        Assert.Equal(1, first);
        Assert.Equal([2, 3], Drain(queue));
    }

    [Fact]
    public async Task ABoundBySizeHoldsWritersUntilTheirItemFitsButNeverRefusesOneItemInAnEmptyQueue()
    {
        var queue = new SessionQueue<string>(capacity: 10, initialSize: 1, static s => s.Length, maxSize: 10);
        Assert.True(queue.TryWrite("123456"));
        Assert.False(queue.TryWrite("12345")); // 11 > 10
        var waiting = queue.WriteAsync("12345", CancellationToken.None).AsTask();
        await Task.Delay(20);
        Assert.False(waiting.IsCompleted);
        Assert.True(queue.TryRead(out _));
        await waiting.DefaultTimeout();
        Assert.Equal(5, queue.Size);
        Assert.True(queue.TryRead(out _));
        Assert.True(queue.TryWrite(new string('x', 50))); // alone, larger than the bound
        Assert.Equal(50, queue.Size);
    }

    [Fact]
    public async Task RacingWritersLoseNothingAndKeepEachWritersOrder()
    {
        const int Writers = 4;
        const int PerWriter = 5000;
        var queue = new SessionQueue<(int Writer, int Sequence)>(capacity: 16, initialSize: 1);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                if (i % 2 == 0 || !queue.TryWrite((w, i)))
                {
                    await queue.WriteAsync((w, i), CancellationToken.None);
                }
            }
        })).ToArray();
        var completing = Task.WhenAll(writers).ContinueWith(_ => queue.TryComplete(), TaskScheduler.Default);

        var last = Enumerable.Repeat(-1, Writers).ToArray();
        var received = 0;
        while (await queue.WaitToReadAsync().AsTask().DefaultTimeout())
        {
            while (queue.TryRead(out var item))
            {
                Assert.Equal(last[item.Writer] + 1, item.Sequence);
                last[item.Writer] = item.Sequence;
                received++;
            }
        }

        Assert.True(await completing.DefaultTimeout());
        Assert.Equal(Writers * PerWriter, received);
    }

    [Fact]
    public async Task CompletionLetsTheReaderTakeWhatIsLeftAndReleasesEveryoneElse()
    {
        var queue = new SessionQueue<int>(capacity: 2, initialSize: 1);
        Assert.True(queue.TryWrite(1));
        Assert.True(queue.TryWrite(2));
        var blockedWriter = queue.WriteAsync(3, CancellationToken.None).AsTask();

        Assert.True(queue.TryComplete());
        Assert.False(queue.TryComplete());
        await Assert.ThrowsAsync<ChannelClosedException>(() => blockedWriter).DefaultTimeout();
        Assert.False(queue.TryWrite(4));
        await Assert.ThrowsAsync<ChannelClosedException>(() => queue.WriteAsync(5, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.True(await queue.WaitToReadAsync().AsTask().DefaultTimeout());
        Assert.Equal([1, 2], Drain(queue));
        Assert.False(await queue.WaitToReadAsync().AsTask().DefaultTimeout());

        var empty = new SessionQueue<int>(capacity: 2, initialSize: 1);
        var waitingReader = empty.WaitToReadAsync().AsTask();
        Assert.True(empty.TryComplete());
        Assert.False(await waitingReader.DefaultTimeout());
    }

    private static List<T> Drain<T>(SessionQueue<T> queue)
    {
        var items = new List<T>();
        while (queue.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }
}
