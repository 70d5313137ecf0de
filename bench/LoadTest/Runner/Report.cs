using System.Globalization;
using System.Text;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>The Markdown report (tables with ratio columns) and its PNG charts.</summary>
internal static class Report
{
    private static readonly string[] Servers = ["ours", "signalr", "raw"];

    public static string Write(Profile profile, MachineFacts facts, List<RunResult> results, DateTime started, DateTime finished, string directory)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load benchmark: SocketIoChannels vs SignalR vs raw Kestrel ({profile.Name})");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {started:yyyy-MM-dd HH:mm} to {finished:HH:mm} UTC, commit `{facts.Commit}`. Machine: {facts.Cores} cores ({facts.Cpu}), {facts.MemoryGb:F1} GB RAM, {facts.Runtime}, {facts.Os}; GC {facts.Gc} in all three servers; open-file limit {facts.OpenFiles}. Load average before {facts.LoadBefore}, after {facts.LoadAfter}. Servers and the load client share the machine, each server in its own process, the client in another.");
        md.AppendLine();
        md.AppendLine("`ours` = SocketIoChannels (websocket transport, or xhr-polling in scenario 3), `signalr` = ASP.NET Core SignalR hub with groups (JSON protocol; client Microsoft.AspNetCore.SignalR.Client), `raw` = Kestrel WebSockets writing the same pre-encoded bytes to every socket, one WebSocket message per delivery. Ratios are ours / other on the median of the runs.");
        md.AppendLine();

        Fanout(md, profile, results, directory);
        Idle(md, profile, results, directory);
        Polling(md, profile, results);
        Echo(md, profile, results, directory);
        Scaleout(md, profile, results, directory);
        return md.ToString();
    }

    private static void Scaleout(StringBuilder md, Profile profile, List<RunResult> all, string directory)
    {
        var runs = all.Where(r => r.Scenario == "scaleout").ToList();
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"## 5. Scale-out on Redis: {profile.ScaleoutClients:N0} WebSocket clients in one channel, two `ours` nodes on one Redis against one node, {profile.ScaleoutSeconds} s, at most {profile.FanoutWindows[^1]} broadcasts in flight");
        md.AppendLine();
        md.AppendLine("Two nodes: a private redis-server (no persistence), two SocketIoChannels servers with `AddStackExchangeRedis`, the clients split half and half between them, the publisher on the first node, so half the deliveries cross Redis (one `PUBLISH` per broadcast). One node: the same clients on one server without Redis. Latency is from the publish to the last recipient of each broadcast; server CPU is both nodes summed (Redis's own CPU over the whole two-node run, connecting included, is listed apart). All processes share the machine's cores, so two nodes here cannot add cores: the question is what the backplane costs.");
        md.AppendLine();
        md.AppendLine("| setup | clients | deliveries/s | p50 to the last recipient ms | p99 to the last recipient ms | p99 (all deliveries) ms | server CPU s per 1M deliveries (nodes summed) | server CPU (cores) | Redis CPU s | publish timeouts |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs.OrderBy(r => r.Server == "one node" ? 0 : 1))
        {
            if (r.Values.ContainsKey("failed"))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | failed (see the orchestrator's output) | | | | | | | | |");
                continue;
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {N(r["clients"])} | {N(r["deliveries_per_s"])} | {F(r["last_p50_ms"], 1)} | {F(r["last_p99_ms"], 1)} | {F(r["p99_ms"], 1)} | {F(r["cpu_s_per_million"], 2)} | {F(r["server_cpu_cores"], 2)} | {(r.Values.TryGetValue("redis_cpu_s", out var redis) ? F(redis, 1) : "–")} | {N(r["publish_timeouts"])} |");
        }

        md.AppendLine();
        var one = runs.FirstOrDefault(r => r.Server == "one node" && !r.Values.ContainsKey("failed"));
        var two = runs.FirstOrDefault(r => r.Server == "two nodes" && !r.Values.ContainsKey("failed"));
        if (one is not null && two is not null && one["deliveries_per_s"] > 0)
        {
            var ratio = two["deliveries_per_s"] / one["deliveries_per_s"];
            if (two.Values.ContainsKey("second_node_cpu_s_per_million"))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"Per node, server CPU s per 1M of its own deliveries: the publishing node (local delivery) {F(two["first_node_cpu_s_per_million"], 2)}, the node that receives through Redis {F(two["second_node_cpu_s_per_million"], 2)}; one node alone {F(one["cpu_s_per_million"], 2)}.");
                md.AppendLine();
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"**Two nodes / one node: {ratio:0.00}x deliveries/s** (target ≥ 0.9x: {(ratio >= 0.9 ? "met" : "not met")}), {F(two["cpu_s_per_million"] / one["cpu_s_per_million"], 2)}x server CPU per delivery, {F(two["last_p99_ms"] / one["last_p99_ms"], 2)}x p99 to the last recipient.");
            md.AppendLine();
            Charts.Bars(Path.Combine(directory, "scaleout-deliveries.png"), "Scale-out deliveries/s (higher is better)", "deliveries/s",
                new Dictionary<string, double> { ["one node"] = one["deliveries_per_s"], ["two nodes + Redis"] = two["deliveries_per_s"] });
            md.AppendLine("![scale-out deliveries/s](scaleout-deliveries.png)");
            md.AppendLine();
        }
    }

    private static void Fanout(StringBuilder md, Profile profile, List<RunResult> all, string directory)
    {
        var runs = all.Where(r => r.Scenario == "fanout").ToList();
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"## 1. Fan-out: {profile.FanoutClients:N0} WebSocket clients in one group, 128-byte messages, {profile.FanoutSeconds} s per run");
        md.AppendLine();
        md.AppendLine("The server broadcasts as fast as the messages are delivered: at most W broadcasts whose last recipient has not acknowledged them are in flight, the next starts when one is acknowledged. With a small window at many clients the broadcasts spread out over time and every session's queue holds one frame when its writer runs; with a deeper window the pipeline stays full, frames queue up and a server that batches sends several per WebSocket message (ours and SignalR do; raw sends one message per delivery by design). Both are shown.");
        md.AppendLine();
        foreach (var group in runs.GroupBy(r => r["window"]).OrderBy(g => g.Key))
        {
            var windowRuns = group.ToList();
            var w = group.Key.ToString("0", CultureInfo.InvariantCulture);
            md.AppendLine(CultureInfo.InvariantCulture, $"### At most {w} broadcasts in flight");
            md.AppendLine();
            md.AppendLine("| server | run | clients | deliveries/s | server CPU s per 1M deliveries | server CPU (cores) | p50 ms | p99 ms | p99 to the last recipient ms | deliveries per WS message | publish timeouts |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in windowRuns.OrderBy(r => Array.IndexOf(Servers, r.Server)).ThenBy(r => r.Repeat))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {r.Repeat} | {N(r["clients"])} | {N(r["deliveries_per_s"])} | {F(r["cpu_s_per_million"], 2)} | {F(r["server_cpu_cores"], 2)} | {F(r["p50_ms"], 1)} | {F(r["p99_ms"], 1)} | {F(r["last_p99_ms"], 1)} | {F(r["deliveries_per_ws_message"], 2)} | {N(r["publish_timeouts"])} |");
            }

            md.AppendLine();
            Summary(md, windowRuns, [("deliveries/s", "deliveries_per_s", 0), ("server CPU s per 1M deliveries", "cpu_s_per_million", 2), ("p99 ms", "p99_ms", 1), ("p99 to the last recipient ms", "last_p99_ms", 1), ("deliveries per WS message", "deliveries_per_ws_message", 2)]);
            Charts.Bars(Path.Combine(directory, $"fanout-deliveries-w{w}.png"), $"Fan-out deliveries/s, window {w} (higher is better)", "deliveries/s", Medians(windowRuns, "deliveries_per_s"));
            Charts.Bars(Path.Combine(directory, $"fanout-cpu-w{w}.png"), $"Server CPU s per million deliveries, window {w} (lower is better)", "CPU s / 1M", Medians(windowRuns, "cpu_s_per_million"));
            md.AppendLine(CultureInfo.InvariantCulture, $"![fan-out deliveries/s, window {w}](fanout-deliveries-w{w}.png) ![fan-out CPU, window {w}](fanout-cpu-w{w}.png)");
            md.AppendLine();
        }

        var paced = runs.Where(r => r.Values.ContainsKey("paced_last_p99_ms")).ToList();
        if (paced.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### Latency at a sustainable rate: one broadcast every {profile.FanoutPacedMs} ms to all {profile.FanoutClients:N0} ({profile.FanoutClients * 1000 / profile.FanoutPacedMs:N0} deliveries/s), {profile.FanoutPacedSeconds} s");
            md.AppendLine();
            md.AppendLine("After each throughput run, on the same connections, once what was in flight has arrived. Times run from the broadcast call on the server to the receipt at the client; \"to the last recipient\" is the time until the last of all clients has the message.");
            md.AppendLine();
            md.AppendLine("| server | after window | run | broadcasts | p50 to the last recipient ms | p99 to the last recipient ms | max to the last recipient ms | p50 ms (all deliveries) | p99 ms (all deliveries) | server CPU (cores) |");
            md.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in paced.OrderBy(r => Array.IndexOf(Servers, r.Server)).ThenBy(r => r["window"]).ThenBy(r => r.Repeat))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {N(r["window"])} | {r.Repeat} | {N(r["paced_broadcasts"])} | {F(r["paced_last_p50_ms"], 1)} | {F(r["paced_last_p99_ms"], 1)} | {F(r["paced_last_max_ms"], 1)} | {F(r["paced_p50_ms"], 1)} | {F(r["paced_p99_ms"], 1)} | {F(r["paced_server_cpu_cores"], 2)} |");
            }

            md.AppendLine();
            Summary(md, paced, [("p50 to the last recipient ms", "paced_last_p50_ms", 1), ("p99 to the last recipient ms", "paced_last_p99_ms", 1), ("p99 ms (all deliveries)", "paced_p99_ms", 1)]);
        }
    }

    private static void Idle(StringBuilder md, Profile profile, List<RunResult> all, string directory)
    {
        var runs = all.Where(r => r.Scenario == "idle").ToList();
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine("## 2. Idle connections (WebSocket, joined to the group, heartbeats running)");
        md.AppendLine();
        md.AppendLine("Memory per connection = (value with N clients − value at 0 clients after a warm-up) / N, both after forced full compacting GCs in the server. Idle CPU is the server's CPU over the idle window.");
        md.AppendLine();
        md.AppendLine("| connections | server | connected | RSS KB/conn | GC heap KB/conn | idle CPU % | RSS ours/SignalR | RSS ours − raw KB | heap ours/SignalR | heap ours − raw KB |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var groups = new List<(string Label, Dictionary<string, double> Values)>();
        foreach (var size in profile.IdleSizes)
        {
            var key = size.ToString(CultureInfo.InvariantCulture);
            var rss = runs.ToDictionary(r => r.Server, r => r["rss_kb_per_conn_" + key]);
            var heap = runs.ToDictionary(r => r.Server, r => r["heap_kb_per_conn_" + key]);
            string Ratio(Dictionary<string, double> values, string server) =>
                server == "ours" && values.ContainsKey("ours") && values.TryGetValue("signalr", out var s) ? F(values["ours"] / s, 2) : string.Empty;
            string Delta(Dictionary<string, double> values, string server) =>
                server == "ours" && values.ContainsKey("ours") && values.TryGetValue("raw", out var w) ? F(values["ours"] - w, 2) : string.Empty;
            foreach (var r in runs.OrderBy(r => Array.IndexOf(Servers, r.Server)))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {size:N0} | {r.Server} | {N(r["connected_" + key])} | {F(r["rss_kb_per_conn_" + key], 2)} | {F(r["heap_kb_per_conn_" + key], 2)} | {F(r["idle_cpu_pct_" + key], 1)} | {Ratio(rss, r.Server)} | {Delta(rss, r.Server)} | {Ratio(heap, r.Server)} | {Delta(heap, r.Server)} |");
            }

            groups.Add((size.ToString("N0", CultureInfo.InvariantCulture), rss));
        }

        md.AppendLine();
        Charts.GroupedBars(Path.Combine(directory, "idle-memory.png"), "Server RSS per idle connection (lower is better)", "KB per connection", groups);
        Charts.GroupedBars(Path.Combine(directory, "idle-heap.png"), "Server GC heap per idle connection (lower is better)", "KB per connection",
            [.. profile.IdleSizes.Select(size => (size.ToString("N0", CultureInfo.InvariantCulture), runs.ToDictionary(r => r.Server, r => r["heap_kb_per_conn_" + size.ToString(CultureInfo.InvariantCulture)])))]);
        md.AppendLine("![idle memory](idle-memory.png) ![idle GC heap](idle-heap.png)");
        md.AppendLine();
    }

    private static void Polling(StringBuilder md, Profile profile, List<RunResult> all)
    {
        var runs = all.Where(r => r.Scenario == "polling").ToList();
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"## 3. Long polling: {profile.PollingSessions:N0} sessions, 10 messages/s each, {profile.PollingSeconds} s");
        md.AppendLine();
        md.AppendLine("ours = Socket.IO 0.6 xhr-polling; signalr = SignalR long polling (the raw server has no polling transport).");
        md.AppendLine();
        md.AppendLine("| server | sessions | deliveries/s (expected) | p50 ms | p99 ms | server CPU % | CPU s per 1M deliveries |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs.OrderBy(r => Array.IndexOf(Servers, r.Server)))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {N(r["clients"])} | {N(r["deliveries_per_s"])} ({N(r["expected_per_s"])}) | {F(r["p50_ms"], 1)} | {F(r["p99_ms"], 1)} | {F(r["server_cpu_pct"], 0)} | {F(r["cpu_s_per_million"], 1)} |");
        }

        md.AppendLine();
        Summary(md, runs, [("p99 ms", "p99_ms", 1), ("CPU s per 1M deliveries", "cpu_s_per_million", 1)]);
    }

    private static void Echo(StringBuilder md, Profile profile, List<RunResult> all, string directory)
    {
        var runs = all.Where(r => r.Scenario == "echo").ToList();
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"## 4. Echo: {profile.EchoClients:N0} clients, each sends and waits for its echo, {profile.EchoSeconds} s");
        md.AppendLine();
        md.AppendLine("| server | clients | round trips/s | p50 ms | p99 ms | server CPU (cores) | CPU s per 1M round trips |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs.OrderBy(r => Array.IndexOf(Servers, r.Server)))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {N(r["clients"])} | {N(r["round_trips_per_s"])} | {F(r["p50_ms"], 1)} | {F(r["p99_ms"], 1)} | {F(r["server_cpu_cores"], 2)} | {F(r["cpu_s_per_million"], 1)} |");
        }

        md.AppendLine();
        Summary(md, runs, [("round trips/s", "round_trips_per_s", 0), ("p99 ms", "p99_ms", 1), ("CPU s per 1M round trips", "cpu_s_per_million", 1)]);
        Charts.Bars(Path.Combine(directory, "echo.png"), "Echo round trips/s (higher is better)", "round trips/s", Medians(runs, "round_trips_per_s"));
        md.AppendLine("![echo](echo.png)");
        md.AppendLine();
    }

    /// <summary>One row per metric: median (and range over runs) per server, ours/SignalR and ours/raw.</summary>
    private static void Summary(StringBuilder md, List<RunResult> runs, (string Label, string Key, int Digits)[] metrics)
    {
        md.AppendLine("| metric | ours | signalr | raw | ours / SignalR | ours / raw |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (label, key, digits) in metrics)
        {
            var medians = Medians(runs, key);
            string Cell(string server)
            {
                var values = runs.Where(r => r.Server == server).Select(r => r[key]).Where(v => !double.IsNaN(v)).ToList();
                if (values.Count == 0)
                {
                    return "–";
                }

                var median = F(medians[server], digits);
                return values.Count > 1 ? $"{median} ({F(values.Min(), digits)}–{F(values.Max(), digits)})" : median;
            }

            string Ratio(string other) => medians.TryGetValue("ours", out var o) && medians.TryGetValue(other, out var v) && v != 0 ? F(o / v, 2) + "x" : "–";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Cell("ours")} | {Cell("signalr")} | {Cell("raw")} | {Ratio("signalr")} | {Ratio("raw")} |");
        }

        md.AppendLine();
    }

    private static Dictionary<string, double> Medians(List<RunResult> runs, string key) =>
        runs.GroupBy(r => r.Server)
            .Select(g => (g.Key, Values: g.Select(r => r[key]).Where(v => !double.IsNaN(v)).Order().ToList()))
            .Where(g => g.Values.Count > 0)
            .OrderBy(g => Array.IndexOf(Servers, g.Key))
            .ToDictionary(g => g.Key, g => g.Values.Count % 2 == 1 ? g.Values[g.Values.Count / 2] : (g.Values[(g.Values.Count / 2) - 1] + g.Values[g.Values.Count / 2]) / 2);

    private static string N(double value) => double.IsNaN(value) ? "–" : value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value, int digits) => double.IsNaN(value) ? "–" : value.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
