using System.Diagnostics;
using System.Globalization;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>Scenarios 2 (idle), 3 (polling) and 4 (echo), 0.6 and v5 clients.</summary>
internal sealed partial class LoadClient
{
    /// <summary>Scenario 2: idle connections in steps; per step, memory per connection against the 0-client
    /// baseline after full GCs, read <c>--settle</c> seconds after the step has connected (30 s in the full profile: after
    /// every connection's first heartbeat or ping), then server CPU while idle with heartbeats running.</summary>
    private async Task IdleAsync(CancellationToken cancellationToken)
    {
        var sizes = Get("sizes", "500,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var idleSeconds = GetDouble("seconds", 5);
        var settleSeconds = GetDouble("settle", 1);
        var control = await ControlAsync(cancellationToken).ConfigureAwait(false);
        var clients = new List<IBenchClient>();

        // Warm up the connection path (JIT, pools) so the baseline does not count one-time costs.
        await ConnectAsync(clients, 50, polling: false, static _ => { }, cancellationToken).ConfigureAwait(false);
        await DisposeAllAsync(clients).ConfigureAwait(false);
        await Task.Delay(2000, cancellationToken).ConfigureAwait(false);
        var baseline = await control.StatsAsync(true, cancellationToken).ConfigureAwait(false);
        result["baseline_rss_mb"] = baseline.RssBytes / 1048576.0;
        result["baseline_heap_mb"] = baseline.GcHeapBytes / 1048576.0;

        foreach (var size in sizes)
        {
            await ConnectAsync(clients, size - clients.Count, polling: false, static _ => { }, cancellationToken).ConfigureAwait(false);
            await control.WaitForSubscribersAsync(clients.Count, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(settleSeconds), cancellationToken).ConfigureAwait(false);
            var stats = await control.StatsAsync(true, cancellationToken).ConfigureAwait(false);
            var cpu0 = ProcStat.CpuSeconds(serverPid);
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds), cancellationToken).ConfigureAwait(false);
            var cpu = (ProcStat.CpuSeconds(serverPid) - cpu0) / clock.Elapsed.TotalSeconds;
            var n = clients.Count;
            var key = size.ToString(CultureInfo.InvariantCulture);
            result["connected_" + key] = n;
            result["rss_kb_per_conn_" + key] = (stats.RssBytes - baseline.RssBytes) / 1024.0 / n;
            result["heap_kb_per_conn_" + key] = (stats.GcHeapBytes - baseline.GcHeapBytes) / 1024.0 / n;
            result["idle_cpu_pct_" + key] = cpu * 100;
        }

        await control.DisposeAsync().ConfigureAwait(false);
        await DisposeAllAsync(clients).ConfigureAwait(false);
    }

    /// <summary>Scenario 3: N long-polling sessions, one broadcast to all every 100 ms (10 messages/s each).</summary>
    private async Task PollingAsync(CancellationToken cancellationToken)
    {
        var count = GetInt("clients", 200);
        var duration = GetDouble("seconds", 5);
        var warmup = GetDouble("warmup", 2);
        var interval = GetDouble("interval-ms", 100);
        var latency = new Histogram();
        long deliveries = 0;
        var measuring = 0;

        void OnMessage(string text)
        {
            if (Payload.TryParse(text, out _, out _, out var timestamp) && Volatile.Read(ref measuring) == 1)
            {
                latency.Record(Payload.AgeMs(timestamp));
                Interlocked.Increment(ref deliveries);
            }
        }

        var control = await ControlAsync(cancellationToken).ConfigureAwait(false);
        var clients = new List<IBenchClient>();
        await ConnectAsync(clients, count, polling: true, OnMessage, cancellationToken).ConfigureAwait(false);
        await control.WaitForSubscribersAsync(clients.Count, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        control.Send("every " + interval.ToString(CultureInfo.InvariantCulture));
        await Task.Delay(TimeSpan.FromSeconds(warmup), cancellationToken).ConfigureAwait(false);
        var before = await control.StatsAsync(false, cancellationToken).ConfigureAwait(false);
        var polls0 = WireCounters.PollAnswers;
        var cpu0 = ProcStat.CpuSeconds(serverPid);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(TimeSpan.FromSeconds(duration), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref measuring, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcStat.CpuSeconds(serverPid) - cpu0;
        var polls = WireCounters.PollAnswers - polls0;
        var after = await control.StatsAsync(false, cancellationToken).ConfigureAwait(false);
        control.Send("stop");
        var delivered = Interlocked.Read(ref deliveries);
        result["sessions"] = count;
        result["clients"] = clients.Count;
        result["deliveries_per_s"] = delivered / seconds;
        result["expected_per_s"] = clients.Count * 1000.0 / interval;
        result["p50_ms"] = latency.Percentile(50);
        result["p99_ms"] = latency.Percentile(99);
        result["server_cpu_pct"] = cpu / seconds * 100;
        result["cpu_s_per_million"] = delivered == 0 ? double.NaN : cpu / (delivered / 1e6);

        // For profiling: how many deliveries each answer carried (a slow client gets several per poll, which makes a
        // delivery cheaper), server CPU per poll, and (the .NET servers) bytes allocated and thread-pool work items
        // per poll. The two stats requests fall in the window; they are noise against thousands of polls.
        // No NaN in the result line: JSON has no such number, and the orchestrator would lose the whole run.
        result["polls_per_s"] = polls / seconds;
        if (polls > 0)
        {
            result["deliveries_per_poll"] = (double)delivered / polls;
            result["cpu_us_per_poll"] = cpu * 1e6 / polls;
        }

        if (before.AllocatedBytes >= 0 && polls > 0)
        {
            result["alloc_bytes_per_poll"] = (double)(after.AllocatedBytes - before.AllocatedBytes) / polls;
            result["work_items_per_poll"] = (double)(after.WorkItems - before.WorkItems) / polls;
        }

        await control.DisposeAsync().ConfigureAwait(false);
        await DisposeAllAsync(clients).ConfigureAwait(false);
    }

    /// <summary>Scenario 4: N clients, each sends, waits for its echo, sends again.</summary>
    private async Task EchoAsync(CancellationToken cancellationToken)
    {
        var count = GetInt("clients", 100);
        var duration = GetDouble("seconds", 5);
        var warmup = GetDouble("warmup", 2);
        var latency = new Histogram();
        long roundTrips = 0;
        var measuring = 0;
        var running = 1;
        var clients = new List<IBenchClient>();
        var byIndex = new IBenchClient[count];
        long sequence = 0;

        Action<string> Handler(int index) => text =>
        {
            if (!Payload.TryParse(text, out var k, out _, out var timestamp) || k != 'e')
            {
                return;
            }

            Interlocked.Increment(ref roundTrips);
            if (Volatile.Read(ref measuring) == 1)
            {
                latency.Record(Payload.AgeMs(timestamp));
            }

            if (Volatile.Read(ref running) == 1)
            {
                _ = byIndex[index].SendAsync(Payload.Create('e', Interlocked.Increment(ref sequence), Stopwatch.GetTimestamp()));
            }
        };

        var started = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(64))
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var client = Create(polling: false, Handler(i), baseUri);
                    byIndex[i] = client;
                    await client.StartAsync(cancellationToken).ConfigureAwait(false);
                    lock (clients)
                    {
                        clients.Add(client);
                    }
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }

        Console.Error.WriteLine($"{kind}: {clients.Count} echo clients connected in {started.Elapsed.TotalSeconds:F1} s");
        foreach (var client in clients)
        {
            _ = client.SendAsync(Payload.Create('e', Interlocked.Increment(ref sequence), Stopwatch.GetTimestamp()));
        }

        await Task.Delay(TimeSpan.FromSeconds(warmup), cancellationToken).ConfigureAwait(false);
        var r0 = Interlocked.Read(ref roundTrips);
        var cpu0 = ProcStat.CpuSeconds(serverPid);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(TimeSpan.FromSeconds(duration), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref measuring, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcStat.CpuSeconds(serverPid) - cpu0;
        var trips = Interlocked.Read(ref roundTrips) - r0;
        Volatile.Write(ref running, 0);
        result["clients"] = clients.Count;
        result["round_trips_per_s"] = trips / seconds;
        result["p50_ms"] = latency.Percentile(50);
        result["p99_ms"] = latency.Percentile(99);
        result["cpu_s_per_million"] = trips == 0 ? double.NaN : cpu / (trips / 1e6);
        result["server_cpu_cores"] = cpu / seconds;
        await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        await DisposeAllAsync(clients).ConfigureAwait(false);
    }
}
