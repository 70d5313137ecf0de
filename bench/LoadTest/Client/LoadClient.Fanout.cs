using System.Diagnostics;
using System.Globalization;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>Scenario 1 (fan-out) and 5 (scale-out), 0.6 and v5 clients.</summary>
internal sealed partial class LoadClient
{
    /// <summary>Scenario 1: N clients in one group. Throughput: broadcasts as fast as the last subscriber
    /// acknowledges, with at most <c>window</c> broadcasts in flight. Then, with <c>--paced-ms</c>, latency: one
    /// broadcast every paced-ms milliseconds (a load the machine sustains), timed from the broadcast call to its last
    /// recipient. Scenario 5 (scale-out) is the same with <c>--url2</c>: half the clients on a second node sharing
    /// the first's Redis, the publisher on the first, CPU of both nodes summed.</summary>
    private async Task FanoutAsync(CancellationToken cancellationToken)
    {
        var count = GetInt("clients", 1000);
        var duration = GetDouble("seconds", 5);
        var warmup = GetDouble("warmup", 2);
        var window = GetInt("window", 4);
        var pacedMs = GetDouble("paced-ms", 0);
        var pacedSeconds = GetDouble("paced-seconds", 10);
        var deliveryLatency = new Histogram();
        var lastLatency = new Histogram();
        var pacedLatency = new Histogram();
        var pacedLastLatency = new Histogram();
        var counts = new int[4096];
        var expected = int.MaxValue;
        long deliveries = 0;
        long pacedBroadcasts = 0;
        var phase = 0; // 1 = measuring throughput, 2 = measuring paced latency
        var control = await ControlAsync(cancellationToken).ConfigureAwait(false);

        void OnMessage(string text)
        {
            if (!Payload.TryParse(text, out _, out var seq, out var timestamp))
            {
                return;
            }

            var age = Payload.AgeMs(timestamp);
            Interlocked.Increment(ref deliveries);
            var now = Volatile.Read(ref phase);
            if (now == 1)
            {
                deliveryLatency.Record(age);
            }
            else if (now == 2)
            {
                pacedLatency.Record(age);
            }

            var slot = (int)(seq & (counts.Length - 1));
            if (Interlocked.Increment(ref counts[slot]) == Volatile.Read(ref expected))
            {
                counts[slot] = 0;
                control.Send("ack");
                if (now == 1)
                {
                    lastLatency.Record(age);
                }
                else if (now == 2)
                {
                    pacedLastLatency.Record(age);
                    Interlocked.Increment(ref pacedBroadcasts);
                }
            }
        }

        var clients = new List<IBenchClient>();
        if (secondUri is null)
        {
            await ConnectAsync(clients, count, polling: false, OnMessage, cancellationToken).ConfigureAwait(false);
            await control.WaitForSubscribersAsync(clients.Count, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var onSecond = new List<IBenchClient>();
            await ConnectAsync(clients, count - (count / 2), polling: false, OnMessage, cancellationToken).ConfigureAwait(false);
            await ConnectAsync(onSecond, count / 2, polling: false, OnMessage, cancellationToken, secondUri).ConfigureAwait(false);
            await control.WaitForSubscribersAsync(clients.Count, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var secondControl = await ControlAsync(cancellationToken, secondUri).ConfigureAwait(false);
            await secondControl.WaitForSubscribersAsync(onSecond.Count, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            await secondControl.DisposeAsync().ConfigureAwait(false);
            result["clients_on_second_node"] = onSecond.Count;
            clients.AddRange(onSecond);
        }

        Volatile.Write(ref expected, clients.Count);
        control.Send("window " + window.ToString(CultureInfo.InvariantCulture));
        await Task.Delay(TimeSpan.FromSeconds(warmup), cancellationToken).ConfigureAwait(false);

        var before = await control.StatsAsync(false, cancellationToken).ConfigureAwait(false);
        var d0 = Interlocked.Read(ref deliveries);
        var m0 = WireCounters.WebSocketMessages;
        var cpu0 = ServerCpuSeconds();
        var own0 = ProcStat.CpuSeconds(Environment.ProcessId);
        var second0 = secondUri is null ? 0 : ProcStat.CpuSeconds(secondPid);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref phase, 1);
        await Task.Delay(TimeSpan.FromSeconds(duration), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref phase, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu1 = ServerCpuSeconds();
        var own1 = ProcStat.CpuSeconds(Environment.ProcessId);
        var second1 = secondUri is null ? 0 : ProcStat.CpuSeconds(secondPid);
        var d1 = Interlocked.Read(ref deliveries);
        var m1 = WireCounters.WebSocketMessages;
        control.Send("stop");
        var after = await control.StatsAsync(false, cancellationToken).ConfigureAwait(false);

        var delivered = d1 - d0;
        result["clients"] = clients.Count;
        result["window"] = window;
        result["deliveries_per_s"] = delivered / seconds;
        result["broadcasts_per_s"] = (after.Published - before.Published) / seconds;
        result["cpu_s_per_million"] = delivered == 0 ? double.NaN : (cpu1 - cpu0) / (delivered / 1e6);
        result["server_cpu_cores"] = (cpu1 - cpu0) / seconds;

        // The load client shares the machine: what it spends per delivery bounds deliveries/s as much as the server.
        result["client_cpu_s_per_million"] = delivered == 0 ? double.NaN : (own1 - own0) / (delivered / 1e6);
        result["client_cpu_cores"] = (own1 - own0) / seconds;
        result["p50_ms"] = deliveryLatency.Percentile(50);
        result["p99_ms"] = deliveryLatency.Percentile(99);
        result["last_p50_ms"] = lastLatency.Percentile(50);
        result["last_p99_ms"] = lastLatency.Percentile(99);
        result["deliveries_per_ws_message"] = m1 == m0 ? double.NaN : (double)delivered / (m1 - m0);
        result["publish_timeouts"] = after.PublishTimeouts - before.PublishTimeouts;
        if (delivered > 0 && before.AllocatedBytes >= 0 && after.AllocatedBytes >= 0)
        {
            // What each delivery cost the .NET server besides CPU: bytes allocated and thread-pool work items run.
            result["allocated_bytes_per_delivery"] = (double)(after.AllocatedBytes - before.AllocatedBytes) / delivered;
            result["work_items_per_delivery"] = (double)(after.WorkItems - before.WorkItems) / delivered;
        }

        if (secondUri is not null && delivered > 0)
        {
            // Each node delivers to its own half of the clients: the publishing node locally, the second one what
            // arrives through Redis. CPU per delivery of each shows what the backplane path costs.
            var onSecond = result["clients_on_second_node"] / clients.Count;
            result["first_node_cpu_s_per_million"] = ((cpu1 - cpu0) - (second1 - second0)) / (delivered * (1 - onSecond) / 1e6);
            result["second_node_cpu_s_per_million"] = (second1 - second0) / (delivered * onSecond / 1e6);
        }

        if (pacedMs > 0)
        {
            // Let the broadcasts still in flight arrive, then time isolated broadcasts at a sustainable rate.
            await DrainAsync(() => Interlocked.Read(ref deliveries), cancellationToken).ConfigureAwait(false);
            var cpu2 = ServerCpuSeconds();
            var d2 = Interlocked.Read(ref deliveries);
            var paced = Stopwatch.StartNew();
            Volatile.Write(ref phase, 2);
            control.Send("every " + pacedMs.ToString(CultureInfo.InvariantCulture));
            await Task.Delay(TimeSpan.FromSeconds(pacedSeconds), cancellationToken).ConfigureAwait(false);
            control.Send("stop");
            await DrainAsync(() => Interlocked.Read(ref deliveries), cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref phase, 0);
            var pacedWindow = paced.Elapsed.TotalSeconds;
            result["paced_interval_ms"] = pacedMs;
            result["paced_broadcasts"] = Interlocked.Read(ref pacedBroadcasts);
            result["paced_deliveries_per_s"] = (Interlocked.Read(ref deliveries) - d2) / pacedWindow;
            result["paced_server_cpu_cores"] = (ServerCpuSeconds() - cpu2) / pacedWindow;
            result["paced_p50_ms"] = pacedLatency.Percentile(50);
            result["paced_p99_ms"] = pacedLatency.Percentile(99);
            result["paced_last_p50_ms"] = pacedLastLatency.Percentile(50);
            result["paced_last_p99_ms"] = pacedLastLatency.Percentile(99);
            result["paced_last_max_ms"] = pacedLastLatency.Percentile(100);
        }

        await control.DisposeAsync().ConfigureAwait(false);
        await DisposeAllAsync(clients).ConfigureAwait(false);
    }
}
