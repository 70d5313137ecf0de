using System.Diagnostics;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>
/// Broadcasts 128-character payloads to the bench group: either as fast as they are delivered (at most
/// <c>window</c> broadcasts whose last recipient has not yet acknowledged; a broadcast not acknowledged within
/// 2 s counts as a timeout and frees its place) or at a fixed interval.
/// </summary>
internal sealed class Publisher(IFanoutTarget target)
{
    private readonly object gate = new();
    private CancellationTokenSource? running;
    private Task loop = Task.CompletedTask;
    private SemaphoreSlim window = new(0);
    private long published;
    private long timeouts;

    public long Published => Interlocked.Read(ref published);

    public long Timeouts => Interlocked.Read(ref timeouts);

    public void Ack() => window.Release();

    public void StartWindowed(int size)
    {
        Start(async token =>
        {
            window = new SemaphoreSlim(size);
            while (!token.IsCancellationRequested)
            {
                if (!await window.WaitAsync(TimeSpan.FromSeconds(2), token))
                {
                    Interlocked.Increment(ref timeouts);
                }

                await PublishAsync();
            }
        });
    }

    public void StartPeriodic(TimeSpan interval)
    {
        Start(async token =>
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(token))
            {
                await PublishAsync();
            }
        });
    }

    public async Task StopAsync()
    {
        Task current;
        lock (gate)
        {
            running?.Cancel();
            running = null;
            current = loop;
        }

        try
        {
            await current;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private ValueTask PublishAsync()
    {
        var seq = Interlocked.Increment(ref published);
        return target.BroadcastAsync(Payload.Create('f', seq, Stopwatch.GetTimestamp()));
    }

    private void Start(Func<CancellationToken, Task> body)
    {
        lock (gate)
        {
            running?.Cancel();
            running = new CancellationTokenSource();
            var token = running.Token;
            loop = Task.Run(() => body(token), CancellationToken.None);
        }
    }
}
