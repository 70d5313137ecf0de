using System.Diagnostics;
using SocketIoChannels.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketIoChannels.Tests.Load;

/// <summary>
/// One WebSocket client stops reading while many others receive a steady broadcast (issue 6). The server runs in
/// its own process (tests/SocketIoChannels.LoadServer). ./test.sh runs 1,000 others; tests/reliability.sh runs the
/// issue's 10,000 (SOCKETIO_LOAD_OTHERS).
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    private const int FrameSize = 1000;

    [Fact]
    public async Task ASlowConsumerIsDroppedWhileTheOthersKeepTheirThroughput()
    {
        var others = LoadSettings.Int("SOCKETIO_LOAD_OTHERS", 1000);
        var queueLimit = LoadSettings.Int("SOCKETIO_LOAD_QUEUE", 100);
        var rate = LoadSettings.Int("SOCKETIO_LOAD_RATE", 20);
        var window = TimeSpan.FromSeconds(LoadSettings.Int("SOCKETIO_LOAD_WINDOW_SECONDS", 5));
        await using var server = await LoadServerProcess.StartAsync(
            $"--SocketIo:MaxQueuedFrames={queueLimit}",
            "--SocketIo:HeartbeatInterval=01:00:00", // no heartbeats: the slow client must be dropped for its queue alone
            "--SocketIo:HeartbeatTimeout=01:00:00",
            "--SocketIo:MessageLogFormat=");
        using var invoker = LoadWebSocket.CreateInvoker(sourceAddresses: 4);
        using var slowInvoker = LoadWebSocket.CreateInvoker(receiveBufferSize: 4096);
        var clients = new List<LoadWebSocket>();
        try
        {
            var connected = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(64);
            using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            clients.AddRange(await Task.WhenAll(Enumerable.Range(0, others).Select(async _ =>
            {
                await gate.WaitAsync(connecting.Token);
                try
                {
                    var client = await LoadWebSocket.ConnectAsync(server.Address, invoker, connecting.Token);
                    await client.SendAsync(connecting.Token, "__subscribe__", "load");
                    client.StartCounting();
                    return client;
                }
                finally
                {
                    gate.Release();
                }
            })));
            await server.WaitForStatsAsync(s => (int)s["subscribers"]! == others, TimeSpan.FromSeconds(60), "load");
            output.WriteLine($"{others} clients connected and subscribed in {connected.Elapsed.TotalSeconds:F1} s");
            await server.PostAsync($"/load/broadcast/start?channel=load&rate={rate}&size={FrameSize}");
            await Task.Delay(window); // warm-up: every client receiving at the steady rate

            // Phase A: the others alone.
            await server.PostAsync("/load/sampler/reset");
            var withoutSlow = await MeasureAsync(clients, () => Task.Delay(window));
            var statsA = await server.StatsAsync();

            // Phase B: one client subscribes and stops reading; measured until it is dropped (and at least a window).
            await server.PostAsync("/load/sampler/reset");
            var slow = await LoadWebSocket.ConnectAsync(server.Address, slowInvoker, CancellationToken.None).DefaultTimeout();
            await using var _ = slow;
            await slow.SendAsync(CancellationToken.None, "__subscribe__", "load").DefaultTimeout();
            var clock = Stopwatch.StartNew();
            var dropped = TimeSpan.Zero;
            var withSlow = await MeasureAsync(clients, async () =>
            {
                while (!server.Output.Any(line => line.Contains(slow.SessionId, StringComparison.Ordinal) && line.Contains("slow consumer", StringComparison.Ordinal)))
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(180), "the slow consumer was never dropped; server said: " + string.Join('\n', server.Output));
                    await Task.Delay(50);
                }

                dropped = clock.Elapsed;
                if (clock.Elapsed < window)
                {
                    await Task.Delay(window - clock.Elapsed);
                }
            });
            var statsB = await server.StatsAsync("load");
            await server.PostAsync("/load/broadcast/stop");

            var ratio = withSlow / withoutSlow;
            output.WriteLine(
                $"FIGURES slow-consumer: others={others} rate={rate}/s frame={FrameSize} chars MaxQueuedFrames={queueLimit} | " +
                $"others' throughput without the slow client {withoutSlow:F0} frames/s, with it {withSlow:F0} frames/s, ratio {ratio:P1} | " +
                $"slow client dropped after {dropped.TotalSeconds:F1} s | longest queue without/with: {statsA["peakQueuedFrames"]}/{statsB["peakQueuedFrames"]} frames | " +
                $"peak heap without/with: {(long)statsA["peakHeapBytes"]! / 1048576.0:F1}/{(long)statsB["peakHeapBytes"]! / 1048576.0:F1} MB | working set {(long)statsB["workingSetBytes"]! / 1048576.0:F0} MB");

            // The slow one was dropped with a Warning naming its session, and no one else was.
            var warnings = server.Output.Where(line => line.Contains("slow consumer", StringComparison.Ordinal)).ToList();
            var warning = Assert.Single(warnings);
            Assert.StartsWith("warn:", warning.TrimStart(), StringComparison.Ordinal);
            Assert.Contains(slow.SessionId, warning, StringComparison.Ordinal);
            Assert.Equal(others, (int)statsB["subscribers"]!);
            Assert.Equal(others, (int)statsB["sessions"]!);

            // Memory: no session ever held more than the queue limit, and the slow one did reach it (back-pressure).
            Assert.InRange((long)statsB["peakQueuedFrames"]!, queueLimit / 2, queueLimit);

            // The others kept at least 95% of the throughput they had without it.
            Assert.True(withoutSlow > others * rate * 0.5, $"the baseline itself is too low to compare: {withoutSlow:F0} frames/s");
            Assert.True(ratio >= 0.95, $"the others kept only {ratio:P1} of their throughput ({withSlow:F0} vs {withoutSlow:F0} frames/s)");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Frames per second the clients received together while <paramref name="during"/> ran.</summary>
    private static async Task<double> MeasureAsync(List<LoadWebSocket> clients, Func<Task> during)
    {
        var before = clients.Sum(c => c.Marks);
        var clock = Stopwatch.StartNew();
        await during().WaitAsync(TimeSpan.FromSeconds(200));
        var after = clients.Sum(c => c.Marks);
        return (after - before) / clock.Elapsed.TotalSeconds;
    }
}
