using System.Globalization;
using System.Text;
using static SocketIoChannels.LoadTest.Runner.ReportTables;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>The idle, polling and echo sections of the report, for the 0.6 and the v5 scenarios alike.</summary>
internal static class ReportSections
{
    public static void Idle(StringBuilder md, Profile profile, List<RunResult> all, string directory, string heading, string prefix, string? note = null)
    {
        var runs = Measured(all);
        if (all.Count == 0)
        {
            return;
        }

        md.AppendLine(heading);
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Memory per connection = (value with N clients − value at 0 clients after a warm-up) / N, both after forced full compacting GCs in the server, read {profile.IdleSettleSeconds:0.#} s after each size has connected{(profile.IdleSettleSeconds >= 26 ? " (after every connection's first heartbeat or ping)" : " (before the first Engine.IO ping, which comes at 25 s)")}. Idle CPU is the server's CPU over the {profile.IdleSeconds:0.#} s after that reading.") + (note is null ? string.Empty : " " + note));
        md.AppendLine();
        NotRun(md, all);
        var servers = ServersIn(runs);
        var ratios = servers.Where(s => s is not "ours" and not "raw").ToList(); // ours / X; raw is shown as a difference
        var header = "| connections | server | connected | RSS KB/conn | GC heap KB/conn | idle CPU % |"
            + string.Concat(ratios.Select(o => $" RSS ours/{Name(o)} |")) + " RSS ours − raw KB |"
            + string.Concat(ratios.Select(o => $" heap ours/{Name(o)} |")) + " heap ours − raw KB |";
        md.AppendLine(header);
        md.AppendLine("|---:|---|---:|---:|---:|---:|" + string.Concat(Enumerable.Repeat("---:|", (2 * ratios.Count) + 2)));
        var groups = new List<(string Label, Dictionary<string, double> Values)>();
        var heapGroups = new List<(string Label, Dictionary<string, double> Values)>();
        foreach (var size in profile.IdleSizes)
        {
            var key = size.ToString(CultureInfo.InvariantCulture);
            var rss = runs.ToDictionary(r => r.Server, r => r["rss_kb_per_conn_" + key]);
            var heap = runs.ToDictionary(r => r.Server, r => r["heap_kb_per_conn_" + key]);
            string Ratio(Dictionary<string, double> values, string server, string other) =>
                server == "ours" && values.ContainsKey("ours") && values.TryGetValue(other, out var s) ? F(values["ours"] / s, 2) : string.Empty;
            string Delta(Dictionary<string, double> values, string server) =>
                server == "ours" && values.ContainsKey("ours") && values.TryGetValue("raw", out var w) ? F(values["ours"] - w, 2) : string.Empty;
            foreach (var r in Ordered(runs))
            {
                md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {size:N0} | {r.Server} | {N(r["connected_" + key])} | {F(r["rss_kb_per_conn_" + key], 2)} | {F(r["heap_kb_per_conn_" + key], 2)} | {F(r["idle_cpu_pct_" + key], 1)} |")
                    + string.Concat(ratios.Select(o => $" {Ratio(rss, r.Server, o)} |")) + $" {Delta(rss, r.Server)} |"
                    + string.Concat(ratios.Select(o => $" {Ratio(heap, r.Server, o)} |")) + $" {Delta(heap, r.Server)} |");
            }

            groups.Add((size.ToString("N0", CultureInfo.InvariantCulture), rss));
            heapGroups.Add((size.ToString("N0", CultureInfo.InvariantCulture), heap));
        }

        md.AppendLine();
        if (runs.Count > 0)
        {
            Charts.GroupedBars(Path.Combine(directory, prefix + "-memory.png"), "Server RSS per idle connection (lower is better)", "KB per connection", groups);
            Charts.GroupedBars(Path.Combine(directory, prefix + "-heap.png"), "Server GC heap per idle connection (lower is better)", "KB per connection", heapGroups);
            md.AppendLine(CultureInfo.InvariantCulture, $"![{prefix} memory]({prefix}-memory.png) ![{prefix} GC heap]({prefix}-heap.png)");
            md.AppendLine();
        }
    }

    public static void Polling(StringBuilder md, Profile profile, List<RunResult> all, string directory, string prefix, string heading, string note)
    {
        var runs = Measured(all);
        if (all.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"{heading}: {string.Join(" and ", profile.PollingSessions.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} sessions, 10 messages/s each, {profile.PollingSeconds} s");
        md.AppendLine();
        md.AppendLine(note);
        md.AppendLine();
        NotRun(md, all);
        var perDelivery = new List<(string Label, Dictionary<string, double> Values)>();
        var perPoll = new List<(string Label, Dictionary<string, double> Values)>();
        foreach (var group in runs.GroupBy(r => r["sessions"]).OrderBy(g => g.Key))
        {
            var sizeRuns = group.ToList();
            var label = group.Key.ToString("N0", CultureInfo.InvariantCulture);
            perDelivery.Add((label, Medians(sizeRuns, "cpu_s_per_million")));
            perPoll.Add((label, Medians(sizeRuns, "cpu_us_per_poll")));
            md.AppendLine(CultureInfo.InvariantCulture, $"### {group.Key:N0} sessions");
            md.AppendLine();
            md.AppendLine("| server | sessions | deliveries/s (expected) | p50 ms | p99 ms | server CPU % | CPU s per 1M deliveries | deliveries per poll | CPU µs per poll | bytes allocated per poll |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in Ordered(sizeRuns))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {N(r["clients"])} | {N(r["deliveries_per_s"])} ({N(r["expected_per_s"])}) | {F(r["p50_ms"], 1)} | {F(r["p99_ms"], 1)} | {F(r["server_cpu_pct"], 0)} | {F(r["cpu_s_per_million"], 1)} | {F(r["deliveries_per_poll"], 2)} | {F(r["cpu_us_per_poll"], 1)} | {N(r["alloc_bytes_per_poll"])} |");
            }

            md.AppendLine();
            md.AppendLine("A poll answer carries every message queued for the session: when the client falls behind, answers carry more than one and a delivery costs less. CPU per poll (one answer and the client's next request) is the figure to compare with the raw floor.");

            md.AppendLine();
            Summary(md, sizeRuns, [("p99 ms", "p99_ms", 1), ("CPU s per 1M deliveries", "cpu_s_per_million", 1)]);
        }

        if (perDelivery.Count > 0)
        {
            Charts.GroupedBars(Path.Combine(directory, prefix + "-cpu.png"), "Server CPU s per million deliveries, long polling (lower is better)", "CPU s / 1M", perDelivery, "sessions");
            Charts.GroupedBars(Path.Combine(directory, prefix + "-cpu-per-poll.png"), "Server CPU µs per poll, long polling (lower is better)", "CPU µs per poll", perPoll, "sessions");
            md.AppendLine(CultureInfo.InvariantCulture, $"![{prefix} CPU per delivery]({prefix}-cpu.png) ![{prefix} CPU per poll]({prefix}-cpu-per-poll.png)");
            md.AppendLine();
        }
    }

    public static void Echo(StringBuilder md, Profile profile, List<RunResult> runs, string directory)
    {
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"## 4. Echo: {profile.EchoClients:N0} clients, each sends and waits for its echo, {profile.EchoSeconds} s");
        md.AppendLine();
        md.AppendLine("| server | clients | round trips/s | p50 ms | p99 ms | server CPU (cores) | CPU s per 1M round trips |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Ordered(runs))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {N(r["clients"])} | {N(r["round_trips_per_s"])} | {F(r["p50_ms"], 1)} | {F(r["p99_ms"], 1)} | {F(r["server_cpu_cores"], 2)} | {F(r["cpu_s_per_million"], 1)} |");
        }

        md.AppendLine();
        Summary(md, runs, [("round trips/s", "round_trips_per_s", 0), ("p99 ms", "p99_ms", 1), ("CPU s per 1M round trips", "cpu_s_per_million", 1)]);
        Charts.Bars(Path.Combine(directory, "echo.png"), "Echo round trips/s (higher is better)", "round trips/s", Medians(runs, "round_trips_per_s"));
        md.AppendLine("![echo](echo.png)");
        md.AppendLine();
    }
}
