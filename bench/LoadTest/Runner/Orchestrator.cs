using System.Diagnostics;
using System.Globalization;
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
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var servers = (options.GetValueOrDefault("servers") ?? "ours,signalr,raw").Split(',');
        var scenarios = (options.GetValueOrDefault("scenarios") ?? "fanout,idle,polling,echo").Split(',');
        var sources = options.GetValueOrDefault("sources") ?? "127.0.0.1";
        var outDirectory = options.GetValueOrDefault("out") ?? Path.Combine(Directory.GetCurrentDirectory(), "bench", "results");

        var openFiles = MachineFacts.OpenFileLimit();
        var sourceCount = sources.Split(',').Length;
        // One process holds one fd per connection plus ~100 of its own; each source address has ~28,000 ports.
        var maxIdle = (int)Math.Min(Math.Min(openFiles - 1000, sourceCount * 27_000L), 100_000);
        Console.WriteLine($"open-file limit (ulimit -n) of this process: {openFiles}; the idle maximum is {maxIdle} connections"
            + (openFiles <= 20_000 ? " (the hard limit here is 20,000 per process and cannot be raised)" : string.Empty));
        var profile = Profile.For(profileName, maxIdle);
        var facts = MachineFacts.Read();
        var started = DateTime.UtcNow;
        var results = new List<RunResult>();

        foreach (var scenario in scenarios)
        {
            var repeats = scenario == "fanout" ? profile.FanoutRepeats : 1;
            for (var repeat = 1; repeat <= repeats; repeat++)
            {
                foreach (var server in servers)
                {
                    if (scenario == "polling" && server == "raw")
                    {
                        continue; // the raw WebSocket server has no long-polling transport
                    }

                    var clientArgs = scenario switch
                    {
                        "fanout" => $"--clients {profile.FanoutClients} --seconds {profile.FanoutSeconds} --warmup {profile.FanoutWarmup} --window {profile.FanoutWindow}",
                        "idle" => $"--sizes {string.Join(',', profile.IdleSizes)} --seconds {profile.IdleSeconds}",
                        "polling" => $"--clients {profile.PollingSessions} --seconds {profile.PollingSeconds}",
                        "echo" => $"--clients {profile.EchoClients} --seconds {profile.EchoSeconds}",
                        _ => throw new ArgumentException("unknown scenario " + scenario),
                    };
                    var values = await RunOneAsync(server, scenario, clientArgs + " --sources " + sources).ConfigureAwait(false);
                    var result = new RunResult(scenario, server, repeat, values);
                    results.Add(result);
                    Console.WriteLine($"{scenario,-8} {server,-8} #{repeat}: " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value.ToString("0.###", CultureInfo.InvariantCulture)}")));
                }
            }
        }

        facts.LoadAfter = MachineFacts.LoadAverage();
        var stamp = started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var directory = Path.Combine(outDirectory, stamp + "-" + profile.Name);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
        var markdown = Report.Write(profile, facts, results, started, DateTime.UtcNow, directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "results.md"), markdown).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDirectory, "latest.md"), markdown.Replace("](", "](" + stamp + "-" + profile.Name + "/", StringComparison.Ordinal)).ConfigureAwait(false);
        await UpdateReadmeAsync(outDirectory, markdown, stamp + "-" + profile.Name).ConfigureAwait(false);
        Console.WriteLine("report: " + Path.Combine(directory, "results.md"));
        Console.WriteLine($"total {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        return results.Any(r => r.Values.ContainsKey("failed")) ? 1 : 0;
    }

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
        var body = markdown.Replace("\n## ", "\n### ", StringComparison.Ordinal).Replace("\n# ", "\n### ", StringComparison.Ordinal)
            .Replace("](", "](results/" + folder + "/", StringComparison.Ordinal);
        if (body.StartsWith("# ", StringComparison.Ordinal))
        {
            body = "###" + body[1..];
        }

        await File.WriteAllTextAsync(readme, text[..(at + Marker.Length)] + "\n\n" + body).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, double>> RunOneAsync(string server, string scenario, string clientArgs)
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "LoadTest");
        using var serverProcess = Start(executable, "server " + server);
        try
        {
            var port = await ReadReadyAsync(serverProcess).ConfigureAwait(false);
            using var clientProcess = Start(executable, $"client --scenario {scenario} --kind {server} --url http://127.0.0.1:{port} --server-pid {serverProcess.Id} {clientArgs}");
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
        finally
        {
            if (!serverProcess.HasExited)
            {
                serverProcess.Kill(entireProcessTree: true);
                await serverProcess.WaitForExitAsync().ConfigureAwait(false);
            }
        }
    }

    private static Process Start(string executable, string arguments)
    {
        var info = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + executable);
    }

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

    private static async Task PumpAsync(StreamReader reader, string prefix)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            Console.WriteLine(prefix + line);
        }
    }
}
