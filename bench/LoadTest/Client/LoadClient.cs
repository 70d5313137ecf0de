using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>
/// The load client process: opens the connections of one scenario against one server and prints
/// <c>RESULT {json}</c>. Server CPU comes from /proc/PID/stat of the server process over the measured window.
/// </summary>
internal sealed class LoadClient
{
    private readonly Dictionary<string, string> options;
    private readonly Dictionary<string, double> result = [];
    private readonly Connector connector;
    private readonly Uri baseUri;
    private readonly string kind;
    private readonly int serverPid;
    private readonly Uri? secondUri;
    private readonly int secondPid;

    private LoadClient(Dictionary<string, string> options)
    {
        this.options = options;
        kind = options["kind"];
        baseUri = new Uri(options["url"]);
        serverPid = int.Parse(options["server-pid"], CultureInfo.InvariantCulture);
        if (options.TryGetValue("url2", out var url2))
        {
            // Scale-out: a second node; half of the fan-out clients connect to it, its CPU is added to the first's.
            secondUri = new Uri(url2);
            secondPid = int.Parse(options["server-pid2"], CultureInfo.InvariantCulture);
        }

        connector = new Connector(Get("sources", "127.0.0.1").Split(','));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var client = new LoadClient(options);
        var scenario = options["scenario"];
        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await (scenario switch
            {
                "fanout" => client.FanoutAsync(overall.Token),
                "idle" => client.IdleAsync(overall.Token),
                "polling" => client.PollingAsync(overall.Token),
                "echo" => client.EchoAsync(overall.Token),
                _ => throw new ArgumentException("unknown scenario " + scenario),
            }).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"client {scenario}/{client.kind} failed: {exception}");
            client.result["failed"] = 1;
        }

        Console.WriteLine("RESULT " + JsonSerializer.Serialize(client.result));
        return 0;
    }

    private string Get(string key, string fallback) => options.TryGetValue(key, out var value) ? value : fallback;

    private int GetInt(string key, int fallback) => int.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private double GetDouble(string key, double fallback) => double.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private double ServerCpuSeconds() => ProcStat.CpuSeconds(serverPid) + (secondUri is null ? 0 : ProcStat.CpuSeconds(secondPid));

    private IBenchClient Create(bool polling, Action<string> onMessage, Uri server) => (kind, polling) switch
    {
        ("ours", false) => new FrameClient(connector, new Uri("ws://" + server.Authority + "/socket.io/websocket"), socketIo: true, onMessage),
        ("ours", true) => new XhrPollingClient(connector.Http, server, onMessage),
        ("raw", false) => new FrameClient(connector, new Uri("ws://" + server.Authority + "/ws"), socketIo: false, onMessage),
        ("signalr", _) => new SignalRBenchClient(connector, new Uri(server, "/hub"), polling, onMessage),
        _ => throw new ArgumentException($"{kind} has no {(polling ? "polling" : "websocket")} transport"),
    };

    /// <summary>Opens <paramref name="count"/> clients, 64 at a time; failures are counted, not fatal.</summary>
    private async Task ConnectAsync(List<IBenchClient> clients, int count, bool polling, Action<string> onMessage, CancellationToken cancellationToken, Uri? server = null)
    {
        var started = Stopwatch.StartNew();
        var failures = 0;
        var target = clients.Count + count;
        using var gate = new SemaphoreSlim(64);
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            var client = Create(polling, onMessage, server ?? baseUri);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(30));
                    await client.StartAsync(timeout.Token).ConfigureAwait(false);
                    lock (clients)
                    {
                        clients.Add(client);
                    }
                }
                catch (Exception exception)
                {
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.Error.WriteLine("connect failed: " + exception.Message);
                    }

                    await client.DisposeAsync().ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        result["connect_failures"] = result.GetValueOrDefault("connect_failures") + failures;
        Console.Error.WriteLine($"{kind}: {clients.Count}/{target} connected in {started.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task DisposeAllAsync(List<IBenchClient> clients)
    {
        using var gate = new SemaphoreSlim(256);
        await Task.WhenAll(clients.Select(async client =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        clients.Clear();
    }

    private async Task<ControlChannel> ControlAsync(CancellationToken cancellationToken, Uri? server = null)
    {
        var control = new ControlChannel(connector.Http, server ?? baseUri);
        await control.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return control;
    }

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
        var second0 = secondUri is null ? 0 : ProcStat.CpuSeconds(secondPid);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref phase, 1);
        await Task.Delay(TimeSpan.FromSeconds(duration), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref phase, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu1 = ServerCpuSeconds();
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
        result["p50_ms"] = deliveryLatency.Percentile(50);
        result["p99_ms"] = deliveryLatency.Percentile(99);
        result["last_p50_ms"] = lastLatency.Percentile(50);
        result["last_p99_ms"] = lastLatency.Percentile(99);
        result["deliveries_per_ws_message"] = m1 == m0 ? double.NaN : (double)delivered / (m1 - m0);
        result["publish_timeouts"] = after.PublishTimeouts - before.PublishTimeouts;
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

    /// <summary>Waits until no delivery has arrived for 300 ms (at most 10 s).</summary>
    private static async Task DrainAsync(Func<long> delivered, CancellationToken cancellationToken)
    {
        var limit = Stopwatch.StartNew();
        var last = delivered();
        while (limit.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(300, cancellationToken).ConfigureAwait(false);
            var now = delivered();
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }

    /// <summary>Scenario 2: idle connections in steps; per step, memory per connection against the 0-client
    /// baseline after full GCs, and server CPU while idle with heartbeats running.</summary>
    private async Task IdleAsync(CancellationToken cancellationToken)
    {
        var sizes = Get("sizes", "500,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var idleSeconds = GetDouble("seconds", 5);
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
            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
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
        var cpu0 = ProcStat.CpuSeconds(serverPid);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(TimeSpan.FromSeconds(duration), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref measuring, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcStat.CpuSeconds(serverPid) - cpu0;
        control.Send("stop");
        var delivered = Interlocked.Read(ref deliveries);
        result["clients"] = clients.Count;
        result["deliveries_per_s"] = delivered / seconds;
        result["expected_per_s"] = clients.Count * 1000.0 / interval;
        result["p50_ms"] = latency.Percentile(50);
        result["p99_ms"] = latency.Percentile(99);
        result["server_cpu_pct"] = cpu / seconds * 100;
        result["cpu_s_per_million"] = delivered == 0 ? double.NaN : cpu / (delivered / 1e6);
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
