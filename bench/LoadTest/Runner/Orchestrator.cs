using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>
/// Runs every scenario against every server in one invocation: for each (scenario, server, repeat) a fresh server
/// process and a separate client process, then writes the Markdown report and charts.
/// </summary>
internal static class Orchestrator
{
    public static async Task<int> RunAsync(string[] args)
    {
        var profileName = args.FirstOrDefault() ?? "quick";
        var options = CommandLine.Options(args, from: 1);

        var servers = (options.GetValueOrDefault("servers") ?? ServerKinds.DefaultServers).Split(',');
        var scenarios = (options.GetValueOrDefault("scenarios") ?? ServerKinds.DefaultScenarios).Split(',');
        var serversByName = options.ContainsKey("servers");
        var sources = options.GetValueOrDefault("sources") ?? "127.0.0.1";
        var outDirectory = options.GetValueOrDefault("out") ?? Path.Combine(Directory.GetCurrentDirectory(), "bench", "results");

        var openFiles = MachineFacts.OpenFileLimit();
        var sourceCount = sources.Split(',').Length;
        // One process holds one fd per connection plus ~100 of its own; each source address has ~28,000 ports.
        var maxIdle = (int)Math.Min(Math.Min(openFiles - 1000, sourceCount * 27_000L), 100_000);
        Console.WriteLine($"open-file limit (ulimit -n) of this process: {openFiles}; the idle maximum is {maxIdle} connections"
            + (openFiles <= 20_000 ? " (the hard limit here is 20,000 per process and cannot be raised)" : string.Empty));
        var profile = Profile.For(profileName, maxIdle).With(options);
        Tuning.Configure(options);
        var facts = MachineFacts.Read();
        var started = DateTime.UtcNow;
        var results = new List<RunResult>();
        if (servers.Any(ServerKinds.IsNode) && ServerKinds.NodeProblem(facts.Node) is { } nodeProblem)
        {
            if (serversByName)
            {
                Console.Error.WriteLine("cannot start the node servers: " + nodeProblem);
                return 2;
            }

            Console.WriteLine("node06, node48 skipped: " + nodeProblem);
            servers = [.. servers.Where(s => !ServerKinds.IsNode(s))];
        }

        var unsupported = new Dictionary<string, string>(StringComparer.Ordinal); // server -> why it cannot run v5

        foreach (var scenario in scenarios)
        {
            if (scenario == "scaleout")
            {
                results.AddRange(await RunScaleoutAsync(profile, sources).ConfigureAwait(false));
                continue;
            }

            foreach (var server in servers)
            {
                if (ServerKinds.Skip(scenario, server) is { } reason)
                {
                    Console.WriteLine($"{scenario,-8} {server,-8} skipped: {reason}");
                }
            }

            var fanout = scenario is "fanout" or "fanout5";
            var polling = scenario is "polling" or "polling5";
            var repeats = fanout ? profile.FanoutRepeats : 1;
            foreach (var variant in fanout ? profile.FanoutWindows : polling ? profile.PollingSessions : [0])
            {
                for (var repeat = 1; repeat <= repeats; repeat++)
                {
                    foreach (var server in servers.Where(s => ServerKinds.Skip(scenario, s) is null))
                    {
                        if (ServerKinds.IsV5(scenario) && unsupported.TryGetValue(server, out var why))
                        {
                            // Known from the first v5 scenario of this run: no need to start the server again.
                            results.Add(new RunResult(scenario, server, repeat, Unsupported(serversByName)));
                            Console.WriteLine($"{scenario,-8} {server,-8} #{repeat}: {(serversByName ? "FAILED" : "not run")}: {server} {why}");
                            continue;
                        }

                        var clientArgs = scenario switch
                        {
                            "fanout" or "fanout5" => $"--clients {profile.FanoutClients} --seconds {profile.FanoutSeconds} --warmup {profile.FanoutWarmup} --window {variant} --paced-ms {profile.FanoutPacedMs} --paced-seconds {profile.FanoutPacedSeconds}",
                            "idle" or "idle5" => $"--sizes {string.Join(',', profile.IdleSizes)} --seconds {profile.IdleSeconds} --settle {profile.IdleSettleSeconds}",
                            "polling" or "polling5" => $"--clients {variant} --seconds {profile.PollingSeconds} --warmup {profile.PollingWarmup}",
                            "echo" => $"--clients {profile.EchoClients} --seconds {profile.EchoSeconds}",
                            _ => throw new ArgumentException("unknown scenario " + scenario),
                        };
                        var values = await RunOneAsync(server, scenario, clientArgs + " --sources " + sources).ConfigureAwait(false);
                        if (values.Remove("unsupported"))
                        {
                            // The client printed why (e.g. ours before Engine.IO 4 support): a failure when this server was
                            // asked for by name, otherwise a run that is reported as not run.
                            var cause = ServerKinds.IsV5(scenario) ? "does not answer an Engine.IO 4 handshake" : "cannot run this scenario";
                            if (ServerKinds.IsV5(scenario))
                            {
                                unsupported[server] = cause;
                            }

                            values = Unsupported(serversByName);
                            Console.WriteLine($"{scenario,-8} {server,-8} #{repeat}: {(serversByName ? "FAILED" : "not run")}: {server} {cause} (see the client's line above)");
                        }
                        else
                        {
                            Console.WriteLine($"{scenario,-8} {server,-8} #{repeat}: " + Format(values));
                        }

                        results.Add(new RunResult(scenario, server, repeat, values));
                    }
                }
            }
        }

        facts.LoadAfter = MachineFacts.LoadAverage();
        var stamp = started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var directory = Path.Combine(outDirectory, stamp + "-" + profile.Name + (Tuning.Describe() == "defaults" ? string.Empty : "-tuned"));
        Directory.CreateDirectory(directory);
        var run = new RunInfo(profile, options, facts, started, DateTime.UtcNow);
        await File.WriteAllTextAsync(Path.Combine(directory, "run.json"), JsonSerializer.Serialize(run, RunInfo.Json)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(results, RunInfo.Json)).ConfigureAwait(false);
        var publish = !(options.ContainsKey("scenarios") || options.ContainsKey("servers") || profile.Name == "smoke" || Tuning.Describe() != "defaults");
        await WriteReportAsync(profile, run, results, directory, outDirectory, publish, replaced: null).ConfigureAwait(false);
        Console.WriteLine($"total {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        return results.Any(r => r.Values.ContainsKey("failed")) ? 1 : 0;
    }

    /// <summary>Writes results.md and the charts into <paramref name="directory"/>; when <paramref name="publish"/>,
    /// also bench/results/latest.md and the latest section of bench/README.md.</summary>
    internal static async Task WriteReportAsync(Profile profile, RunInfo run, List<RunResult> results, string directory, string outDirectory, bool publish, string? replaced)
    {
        var markdown = Report.Write(profile, run.Facts, results, run.Started, run.Finished, directory, replaced);
        await File.WriteAllTextAsync(Path.Combine(directory, "results.md"), markdown).ConfigureAwait(false);
        if (!publish)
        {
            // A partial run would replace the whole latest table with its few sections; a smoke run's numbers mean nothing;
            // a tuned run is not what an app gets by default.
            Console.WriteLine("latest.md and bench/README.md left as they are (a partial, smoke or tuned run, or a report without --publish yes)");
        }
        else
        {
            var folder = Path.GetFileName(directory.TrimEnd('/'));
            await File.WriteAllTextAsync(Path.Combine(outDirectory, "latest.md"), Relink(markdown, string.Empty, folder)).ConfigureAwait(false);
            await UpdateReadmeAsync(outDirectory, markdown, folder).ConfigureAwait(false);
        }

        Console.WriteLine("report: " + Path.Combine(directory, "results.md"));
    }

    /// <summary>The report's links (relative to its run folder) made relative to a file <paramref name="results"/>
    /// above the results folder: <c>chart.png</c> becomes <c>{results}{folder}/chart.png</c>, a link to another run
    /// (<c>../other/results.md</c>) becomes <c>{results}other/results.md</c>.</summary>
    private static string Relink(string markdown, string results, string folder) =>
        markdown.Replace("](../", "]\u0000", StringComparison.Ordinal)
            .Replace("](", "](" + results + folder + "/", StringComparison.Ordinal)
            .Replace("]\u0000", "](" + results, StringComparison.Ordinal);

    /// <summary>Puts the latest report under the marker of bench/README.md (next to the results folder).</summary>
    private static async Task UpdateReadmeAsync(string outDirectory, string markdown, string folder)
    {
        const string Marker = "<!-- latest-results -->";
        var readme = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outDirectory).TrimEnd('/'))!, "README.md");
        if (!File.Exists(readme))
        {
            return;
        }

        var text = await File.ReadAllTextAsync(readme).ConfigureAwait(false);
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        // Headings one level down, links into the run's folder.
        var body = Relink(markdown.Replace("\n## ", "\n### ", StringComparison.Ordinal).Replace("\n# ", "\n### ", StringComparison.Ordinal), "results/", folder);
        if (body.StartsWith("# ", StringComparison.Ordinal))
        {
            body = "###" + body[1..];
        }

        await File.WriteAllTextAsync(readme, text[..(at + Marker.Length)] + "\n\n" + body).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, double>> RunOneAsync(string server, string scenario, string clientArgs)
    {
        using var serverProcess = Start(ServerKinds.StartInfo(server));
        try
        {
            var port = await ReadReadyAsync(serverProcess).ConfigureAwait(false);
            return await RunClientAsync($"client --scenario {scenario} --kind {server} --url http://127.0.0.1:{port} --server-pid {serverProcess.Id} {clientArgs}").ConfigureAwait(false);
        }
        finally
        {
            await StopAsync(serverProcess).ConfigureAwait(false);
        }
    }

    /// <summary>Scenario 5: a private redis-server, two <c>ours</c> nodes on it with the fan-out clients split half
    /// and half and the publisher on the first node (half the deliveries cross Redis); then the same clients on one
    /// node without Redis, the baseline.</summary>
    private static async Task<List<RunResult>> RunScaleoutAsync(Profile profile, string sources)
    {
        var clientArgs = $"--scenario fanout --kind ours --clients {profile.ScaleoutClients} --seconds {profile.ScaleoutSeconds} --warmup {profile.ScaleoutWarmup} --window {profile.FanoutWindows[^1]} --paced-ms {profile.FanoutPacedMs} --paced-seconds {profile.FanoutPacedSeconds} --sources {sources}";
        var results = new List<RunResult>();
        var redisPort = FreePort();
        var redisInfo = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            redisInfo.ArgumentList.Add(argument);
        }

        using var redis = Process.Start(redisInfo) ?? throw new InvalidOperationException("could not start redis-server (is it on PATH?)");
        _ = PumpAsync(redis.StandardOutput, "  redis: ", quiet: true);
        _ = PumpAsync(redis.StandardError, "  redis: ");
        Process? nodeA = null;
        Process? nodeB = null;
        try
        {
            await WaitForPortAsync(redisPort).ConfigureAwait(false);
            var redisAddress = "127.0.0.1:" + redisPort.ToString(CultureInfo.InvariantCulture);
            nodeA = Start(ServerKinds.StartInfo("ours", "--redis " + redisAddress));
            var portA = await ReadReadyAsync(nodeA).ConfigureAwait(false);
            nodeB = Start(ServerKinds.StartInfo("ours", "--redis " + redisAddress));
            var portB = await ReadReadyAsync(nodeB).ConfigureAwait(false);
            var redisCpu0 = ProcStat.CpuSeconds(redis.Id);
            var two = await RunClientAsync($"client --url http://127.0.0.1:{portA} --server-pid {nodeA.Id} --url2 http://127.0.0.1:{portB} --server-pid2 {nodeB.Id} {clientArgs}").ConfigureAwait(false);
            two["redis_cpu_s"] = ProcStat.CpuSeconds(redis.Id) - redisCpu0; // the whole run: connect, warm-up, measure
            results.Add(new RunResult("scaleout", "two nodes", 1, two));
            Console.WriteLine("scaleout two nodes: " + Format(two));
        }
        finally
        {
            await StopAsync(nodeA).ConfigureAwait(false);
            await StopAsync(nodeB).ConfigureAwait(false);
            await StopAsync(redis).ConfigureAwait(false);
        }

        var one = await RunOneAsync("ours", "fanout", clientArgs.Replace("--scenario fanout --kind ours ", string.Empty, StringComparison.Ordinal)).ConfigureAwait(false);
        results.Add(new RunResult("scaleout", "one node", 1, one));
        Console.WriteLine("scaleout one node: " + Format(one));
        return results;
    }

    private static string Format(Dictionary<string, double> values) =>
        string.Join(", ", values.Select(v => $"{v.Key}={v.Value.ToString("0.###", CultureInfo.InvariantCulture)}"));

    private static string Executable => Path.Combine(AppContext.BaseDirectory, "LoadTest");

    private static async Task<Dictionary<string, double>> RunClientAsync(string arguments)
    {
        using var clientProcess = Start(new ProcessStartInfo(Executable, arguments));
        var stderr = PumpAsync(clientProcess.StandardError, "  client: ");
        string? resultLine = null;
        while (await clientProcess.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                resultLine = line[7..];
            }
        }

        await clientProcess.WaitForExitAsync().ConfigureAwait(false);
        await stderr.ConfigureAwait(false);
        return resultLine is null ? new() { ["failed"] = 1 } : JsonSerializer.Deserialize<Dictionary<string, double>>(resultLine) ?? [];
    }

    private static async Task StopAsync(Process? process)
    {
        if (process is not null && !process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static Process Start(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + info.FileName);
    }

    /// <summary>The result of a v5 run the server cannot take part in: a failure when the server was named with
    /// --servers, otherwise "not run" in the report.</summary>
    private static Dictionary<string, double> Unsupported(bool failed) =>
        failed ? new() { ["unsupported"] = 1, ["failed"] = 1 } : new() { ["unsupported"] = 1 };

    private static async Task<int> ReadReadyAsync(Process server)
    {
        _ = PumpAsync(server.StandardError, "  server: ");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await server.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                _ = PumpAsync(server.StandardOutput, "  server: ");
                return int.Parse(line[6..], CultureInfo.InvariantCulture);
            }

            Console.WriteLine("  server: " + line);
        }

        throw new InvalidOperationException("the server exited before it was ready");
    }

    private static async Task PumpAsync(StreamReader reader, string prefix, bool quiet = false)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!quiet)
            {
                Console.WriteLine(prefix + line);
            }
        }
    }
}
