using System.Globalization;
using System.Text;
using static SocketIoChannels.LoadTest.Runner.ReportTables;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>The Markdown report (tables with ratio columns) and its PNG charts.</summary>
internal static class Report
{
    public static string Write(Profile profile, MachineFacts facts, List<RunResult> results, DateTime started, DateTime finished, string directory, string? replaced = null)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load benchmark: SocketIoChannels vs SignalR vs raw Kestrel vs node socket.io ({profile.Name})");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {started:yyyy-MM-dd HH:mm} to {finished:HH:mm} UTC, commit `{facts.Commit}`. Machine: {facts.Cores} cores ({facts.Cpu}), {facts.MemoryGb:F1} GB RAM, {facts.Runtime}, {facts.Os}; GC {facts.Gc} in the .NET servers; Node.js {facts.Node}; open-file limit {facts.OpenFiles}. Load average before {facts.LoadBefore}, after {facts.LoadAfter}. Servers and the load client share the machine, each server in its own process, the client in another.");
        md.AppendLine();
        if (replaced is not null)
        {
            md.AppendLine(replaced);
            md.AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Settings of the .NET servers (ours, signalr, raw): **{Tuning.Describe()}**{(Tuning.Describe() == "defaults" ? " (what an ASP.NET Core app gets without choosing anything)" : " (a TUNED run: opt-in settings, not what an app gets by default; see bench/README.md)")}.");
        md.AppendLine();
        md.AppendLine("`ours` = SocketIoChannels (websocket transport, or xhr-polling in scenario 3), `signalr` = ASP.NET Core SignalR hub with groups (JSON protocol; client Microsoft.AspNetCore.SignalR.Client), `raw` = Kestrel WebSockets writing the same pre-encoded bytes to every socket, one WebSocket message per delivery (in the polling scenarios: the same bytes as one long-poll answer per delivery, with no session machinery), `node06` = the original node server, socket.io 0.6.18 on Node 20 (xhr-polling only: its WebSocket is hixie-76), `node48` = node socket.io 4.8 on its default `ws` engine (Engine.IO 4 / Socket.IO 5, scenarios 6-8). The v5 scenarios use a raw Engine.IO 4 / Socket.IO 5 client for every server that speaks it. Ratios are ours / other on the median of the runs.");
        md.AppendLine();

        var runs = results.ToLookup(r => r.Scenario);
        Fanout(md, profile, [.. runs["fanout"]], directory, v5: false);
        ReportSections.Idle(md, profile, [.. runs["idle"]], directory, "## 2. Idle connections (WebSocket, joined to the group, heartbeats running)", "idle");
        ReportSections.Polling(md, profile, [.. runs["polling"]], directory, "polling", "## 3. Long polling", "ours = Socket.IO 0.6 xhr-polling; signalr = SignalR long polling; node06 = socket.io 0.6.18 xhr-polling, the same 0.6 client as ours; raw = the Kestrel floor: a middleware with just enough 0.6 xhr-polling for the same client (hold a GET until a message, answer the pre-encoded bytes, POSTs answered ok; no heartbeats, channels or redelivery).");
        ReportSections.Echo(md, profile, [.. runs["echo"]], directory);
        Scaleout(md, profile, [.. runs["scaleout"]], directory);

        // Socket.IO 5: raw and SignalR speak no Engine.IO 4; their rows are their own runs of scenarios 1 and 2.
        var reference = new Func<string, List<RunResult>>(scenario => [.. runs[scenario].Where(r => r.Server is "raw" or "signalr")]);
        if (runs["fanout5"].Any())
        {
            Fanout(md, profile, [.. runs["fanout5"], .. reference("fanout")], directory, v5: true);
        }

        if (runs["idle5"].Any())
        {
            ReportSections.Idle(md, profile, [.. runs["idle5"], .. reference("idle")], directory, "## 7. Socket.IO 5 idle connections (WebSocket, in the room, Engine.IO pings running)", "idle5",
                "ours and node48 with the raw Engine.IO 4 / Socket.IO 5 WebSocket client; the raw and signalr rows are their runs of scenario 2. node48's GC heap is V8's heapUsed + external + arrayBuffers.");
        }

        if (runs["polling5"].Any())
        {
            ReportSections.Polling(md, profile, [.. runs["polling5"]], directory, "polling5", "## 8. Socket.IO 5 long polling", "Engine.IO 4 polling (no upgrade) with the raw Engine.IO 4 / Socket.IO 5 client, pings answered. raw = the Kestrel floor: just enough Engine.IO 4 polling for the same client (no pings, no channels).");
        }

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

    private static void Fanout(StringBuilder md, Profile profile, List<RunResult> all, string directory, bool v5)
    {
        var runs = Measured(all);
        if (all.Count == 0)
        {
            return;
        }

        var prefix = v5 ? "fanout5" : "fanout";
        if (v5)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## 6. Socket.IO 5 fan-out: {profile.FanoutClients:N0} WebSocket clients in one room, 128-byte messages, {profile.FanoutSeconds} s per run");
            md.AppendLine();
            md.AppendLine("As scenario 1, with a raw Engine.IO 4 / Socket.IO 5 WebSocket client (handshake, pong, decode of `42[\"message\",…]`) for ours and node48; node48 broadcasts with `io.to(\"bench\").emit(\"message\", payload)`. The raw and signalr rows are their runs of scenario 1 (their own protocols), the floor and the reference.");
        }
        else
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## 1. Fan-out: {profile.FanoutClients:N0} WebSocket clients in one group, 128-byte messages, {profile.FanoutSeconds} s per run");
            md.AppendLine();
            md.AppendLine("The server broadcasts as fast as the messages are delivered: at most W broadcasts whose last recipient has not acknowledged them are in flight, the next starts when one is acknowledged. With a small window at many clients the broadcasts spread out over time and every session's queue holds one frame when its writer runs; with a deeper window the pipeline stays full, frames queue up and a server that batches sends several per WebSocket message (ours and SignalR do; raw sends one message per delivery by design). Both are shown.");
        }

        md.AppendLine();
        NotRun(md, all);
        foreach (var group in runs.GroupBy(r => r["window"]).OrderBy(g => g.Key))
        {
            var windowRuns = group.ToList();
            var w = group.Key.ToString("0", CultureInfo.InvariantCulture);
            md.AppendLine(CultureInfo.InvariantCulture, $"### At most {w} broadcasts in flight");
            md.AppendLine();
            md.AppendLine("| server | run | clients | deliveries/s | server CPU s per 1M deliveries | server CPU (cores) | p50 ms | p99 ms | p99 to the last recipient ms | deliveries per WS message | publish timeouts |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in Ordered(windowRuns))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {r.Repeat} | {N(r["clients"])} | {N(r["deliveries_per_s"])} | {F(r["cpu_s_per_million"], 2)} | {F(r["server_cpu_cores"], 2)} | {F(r["p50_ms"], 1)} | {F(r["p99_ms"], 1)} | {F(r["last_p99_ms"], 1)} | {F(r["deliveries_per_ws_message"], 2)} | {N(r["publish_timeouts"])} |");
            }

            md.AppendLine();
            Summary(md, windowRuns, [("deliveries/s", "deliveries_per_s", 0), ("server CPU s per 1M deliveries", "cpu_s_per_million", 2), ("p99 ms", "p99_ms", 1), ("p99 to the last recipient ms", "last_p99_ms", 1), ("deliveries per WS message", "deliveries_per_ws_message", 2)]);
            Charts.Bars(Path.Combine(directory, $"{prefix}-deliveries-w{w}.png"), $"{(v5 ? "Socket.IO 5 f" : "F")}an-out deliveries/s, window {w} (higher is better)", "deliveries/s", Medians(windowRuns, "deliveries_per_s"));
            Charts.Bars(Path.Combine(directory, $"{prefix}-cpu-w{w}.png"), $"Server CPU s per million deliveries, {(v5 ? "Socket.IO 5, " : string.Empty)}window {w} (lower is better)", "CPU s / 1M", Medians(windowRuns, "cpu_s_per_million"));
            md.AppendLine(CultureInfo.InvariantCulture, $"![{prefix} deliveries/s, window {w}]({prefix}-deliveries-w{w}.png) ![{prefix} CPU, window {w}]({prefix}-cpu-w{w}.png)");
            md.AppendLine();
        }

        var paced = runs.Where(r => r.Values.ContainsKey("paced_last_p99_ms")).ToList();
        if (paced.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {(v5 ? "Socket.IO 5: l" : "L")}atency at a sustainable rate: one broadcast every {profile.FanoutPacedMs} ms to all {profile.FanoutClients:N0} ({profile.FanoutClients * 1000 / profile.FanoutPacedMs:N0} deliveries/s), {profile.FanoutPacedSeconds} s");
            md.AppendLine();
            md.AppendLine("After each throughput run, on the same connections, once what was in flight has arrived. Times run from the broadcast call on the server to the receipt at the client; \"to the last recipient\" is the time until the last of all clients has the message.");
            md.AppendLine();
            md.AppendLine("| server | after window | run | broadcasts | p50 to the last recipient ms | p99 to the last recipient ms | max to the last recipient ms | p50 ms (all deliveries) | p99 ms (all deliveries) | server CPU (cores) |");
            md.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in paced.OrderBy(r => Rank(r.Server)).ThenBy(r => r["window"]).ThenBy(r => r.Repeat))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {N(r["window"])} | {r.Repeat} | {N(r["paced_broadcasts"])} | {F(r["paced_last_p50_ms"], 1)} | {F(r["paced_last_p99_ms"], 1)} | {F(r["paced_last_max_ms"], 1)} | {F(r["paced_p50_ms"], 1)} | {F(r["paced_p99_ms"], 1)} | {F(r["paced_server_cpu_cores"], 2)} |");
            }

            md.AppendLine();
            Summary(md, paced, [("p50 to the last recipient ms", "paced_last_p50_ms", 1), ("p99 to the last recipient ms", "paced_last_p99_ms", 1), ("p99 ms (all deliveries)", "paced_p99_ms", 1)]);
        }
    }
}
