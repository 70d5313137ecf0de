using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketIoChannels.Protocol;
using SocketIoChannels.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketIoChannels.Tests.Load;

/// <summary>
/// Cycles of connect, subscribe, message, disconnect on websocket and xhr-polling, a good part of them vanishing
/// without a goodbye, against a server in its own process (issue 6). ./test.sh runs 4,000 cycles; tests/reliability.sh
/// runs the issue's 100,000 (SOCKETIO_CHURN_CYCLES).
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class ChurnTests(ITestOutputHelper output)
{
    private enum Ending
    {
        Goodbye,       // websocket: close handshake
        Reset,         // websocket: the TCP connection is reset, no close frame
        StopsPolling,  // xhr-polling: never polls again, the polling close timeout reaps it
        Frozen,        // websocket: stays open but stops reading and answering heartbeats, the heartbeat timeout reaps it
    }

    private static Ending EndingOf(long cycle) => (cycle % 16) switch
    {
        < 6 => Ending.Goodbye,
        < 10 => Ending.Reset,
        < 15 => Ending.StopsPolling,
        _ => Ending.Frozen,
    };

    /// <summary>The most the heap may grow per cycle over the measured rounds. A leak of one ended session per
    /// cycle (the session with its queues, request and channel set: kilobytes) exceeds it many times over; what
    /// is not a leak (a pool or a dictionary reaching a new high-water mark, the GC's own bookkeeping) is a step of
    /// a few tens of kilobytes at most, which does not repeat in both rounds and is a few bytes per cycle anyway.</summary>
    private const double MaxGrowthPerCycle = 64;

    [Fact]
    public async Task AfterAChurnOfSessionsNothingIsLeftAndTheHeapReturnsToItsBaseline()
    {
        var cycles = LoadSettings.Int("SOCKETIO_CHURN_CYCLES", 4000);
        var concurrency = LoadSettings.Int("SOCKETIO_CHURN_CONCURRENCY", 32);
        var warmUp = Math.Max(3000, cycles / 20);
        var round = cycles / 2;
        await using var server = await LoadServerProcess.StartAsync(
            "--SocketIo:PollingCloseTimeout=00:00:01",
            "--SocketIo:HeartbeatInterval=00:00:01",
            "--SocketIo:HeartbeatTimeout=00:00:01",
            "--SocketIo:MessageLogFormat=");
        using var invoker = LoadWebSocket.CreateInvoker(sourceAddresses: 8);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency, // keep-alive: polling reuses these connections, no TIME_WAIT pile-up
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        var frozen = new List<Task>();

        // Round 1 warms up at twice the concurrency: JIT done, and what keeps its high-water mark by design
        // (Kestrel's pinned I/O block pool, ArrayPool.Shared, dictionary capacities) already at a higher one than the
        // churn reaches. Then two measured rounds of the same number of cycles, the heap taken after a full GC
        // before and after each: a leak grows the heap in proportion to the cycles, in both rounds; noise (a
        // one-time step, a pool's high-water mark) does not. The smaller of the two rounds' growth per cycle is
        // what a leak cannot hide from and noise cannot reach.
        await RunAsync(0, warmUp, concurrency * 2, server.Address, invoker, http, frozen);
        await DrainAsync(server, frozen);
        await server.CollectAsync();
        var baseline = await server.CollectAsync();

        var clock = Stopwatch.StartNew();
        var heaps = new List<long> { baseline };
        var left = new Newtonsoft.Json.Linq.JObject();
        var reaped = TimeSpan.Zero;
        var running = TimeSpan.Zero;
        for (var i = 0; i < 2; i++)
        {
            var started = clock.Elapsed;
            await RunAsync(warmUp + (i * round), round, concurrency, server.Address, invoker, http, frozen);
            running += clock.Elapsed - started;
            left = await DrainAsync(server, frozen);
            reaped = clock.Elapsed;
            await server.CollectAsync();
            heaps.Add(await server.CollectAsync());
        }

        var growth = heaps.Zip(heaps.Skip(1), (before, after) => (after - before) / (double)round).ToList();
        var measured = 2 * round;
        output.WriteLine(
            $"FIGURES churn: {measured} cycles in 2 rounds (plus {warmUp} warm-up) at {concurrency} at a time in {running.TotalSeconds:F0} s ({measured / running.TotalSeconds:F0} cycles/s), " +
            $"all reaped after {reaped.TotalSeconds:F0} s | endings: {Count(warmUp, measured, Ending.Goodbye)} goodbye, {Count(warmUp, measured, Ending.Reset)} reset, " +
            $"{Count(warmUp, measured, Ending.StopsPolling)} stopped polling, {Count(warmUp, measured, Ending.Frozen)} frozen | " +
            $"left: {left["sessions"]} sessions, {left["channels"]} channels | OnConnect {left["connects"]}, OnFinish {left["finishes"]} | " +
            $"heap after a full GC: baseline {baseline / 1048576.0:F2} MB, after round 2 {heaps[1] / 1048576.0:F2} MB, after round 3 {heaps[2] / 1048576.0:F2} MB | " +
            $"growth per cycle: round 2 {growth[0]:+0.0;-0.0} B, round 3 {growth[1]:+0.0;-0.0} B (bound {MaxGrowthPerCycle} B)");

        Assert.Equal(0, (int)left["sessions"]!);
        Assert.Equal(0, (int)left["channels"]!);
        Assert.Equal(warmUp + measured, (long)left["connects"]!);
        Assert.Equal(warmUp + measured, (long)left["finishes"]!);
        Assert.DoesNotContain(server.Output, line => line.TrimStart().StartsWith("fail:", StringComparison.Ordinal) || line.TrimStart().StartsWith("crit:", StringComparison.Ordinal));
        Assert.True(growth.Min() <= MaxGrowthPerCycle,
            $"the heap grew in both rounds of {round} cycles, by {growth[0]:F1} and {growth[1]:F1} bytes per cycle (baseline {baseline}, then {heaps[1]}, then {heaps[2]} bytes): something is kept per session");
    }

    private static long Count(int start, int cycles, Ending ending) => Enumerable.Range(start, cycles).LongCount(i => EndingOf(i) == ending);

    /// <summary>Waits until every session is gone (the timeouts reap the vanished ones) and the frozen sockets are released.</summary>
    private static async Task<Newtonsoft.Json.Linq.JObject> DrainAsync(LoadServerProcess server, List<Task> frozen)
    {
        var stats = await server.WaitForStatsAsync(s => (int)s["sessions"]! == 0 && (int)s["channels"]! == 0 && (long)s["connects"]! == (long)s["finishes"]!, TimeSpan.FromSeconds(60));
        Task[] holding;
        lock (frozen)
        {
            holding = [.. frozen];
            frozen.Clear();
        }

        await Task.WhenAll(holding).WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(500); // let Kestrel finish with the last connections
        return stats;
    }

    private static async Task RunAsync(int start, int count, int concurrency, Uri server, HttpMessageInvoker invoker, HttpClient http, List<Task> frozen)
    {
        var next = start - 1;
        var end = start + count;
        var failures = 0;
        Exception? firstFailure = null;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int cycle;
            while ((cycle = Interlocked.Increment(ref next)) < end)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    if (EndingOf(cycle) == Ending.StopsPolling)
                    {
                        await PollingCycleAsync(cycle, http, timeout.Token);
                    }
                    else
                    {
                        await WebSocketCycleAsync(cycle, server, invoker, frozen, timeout.Token);
                    }
                }
                catch (Exception exception)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, exception, null);
                }
            }
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(20));
        Assert.True(failures == 0, $"{failures} of {count} cycles failed; the first: {firstFailure}");
    }

    private static async Task WebSocketCycleAsync(int cycle, Uri server, HttpMessageInvoker invoker, List<Task> frozen, CancellationToken cancellationToken)
    {
        var client = await LoadWebSocket.ConnectAsync(server, invoker, cancellationToken);
        var keep = false;
        try
        {
            var message = "m" + cycle;
            await client.SendAsync(cancellationToken, "__subscribe__", "churn-" + (cycle % 256), message);
            while (true)
            {
                var frames = await client.ReceiveFramesAsync(cancellationToken) ?? throw new InvalidOperationException("closed before the echo of " + message);
                foreach (var frame in frames.Where(f => f.Kind == FrameKind.Heartbeat))
                {
                    await client.SendAsync(cancellationToken, "~h~" + frame.Text);
                }

                if (frames.Any(f => f.Kind != FrameKind.Heartbeat && f.Text.Contains(message, StringComparison.Ordinal)))
                {
                    break;
                }
            }

            switch (EndingOf(cycle))
            {
                case Ending.Goodbye:
                    await client.CloseAsync(cancellationToken);
                    break;
                case Ending.Reset:
                    client.Abort();
                    break;
                case Ending.Frozen:
                    // Holds the connection without reading; the server's heartbeat timeout (1 s + 1 s) drops it.
                    keep = true;
                    lock (frozen)
                    {
                        frozen.Add(Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => client.DisposeAsync(), TaskScheduler.Default));
                    }

                    break;
            }
        }
        finally
        {
            if (!keep)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task PollingCycleAsync(int cycle, HttpClient http, CancellationToken cancellationToken)
    {
        var handshake = Decode(await http.GetStringAsync($"/socket.io/xhr-polling//{cycle}", cancellationToken));
        var sessionId = handshake[0].Text;
        var message = "m" + cycle;
        var payload = FrameCodec.EncodePayload(["__subscribe__", "churn-" + (cycle % 256), message]);
        using (var posted = await http.PostAsync($"/socket.io/xhr-polling/{sessionId}/send",
            new StringContent("data=" + Uri.EscapeDataString(payload), Encoding.UTF8, "application/x-www-form-urlencoded"), cancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        // Polls until the echo arrives, then never polls again.
        while (true)
        {
            var frames = Decode(await http.GetStringAsync($"/socket.io/xhr-polling/{sessionId}/{cycle}", cancellationToken));
            if (frames.Any(f => f.Text.Contains(message, StringComparison.Ordinal)))
            {
                return;
            }
        }
    }

    private static List<InboundFrame> Decode(string payload)
    {
        var frames = new List<InboundFrame>();
        Assert.True(FrameCodec.TryDecode(payload, frames, out var error), error);
        return frames;
    }
}
