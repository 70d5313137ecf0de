using System.Globalization;
using System.Text.Json;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>
/// <c>LoadTest report DIR [--replace DIR2[,DIR3…]] [--publish yes]</c>: writes DIR's results.md and charts again from
/// its run.json and results.json. A later run named by <c>--replace</c> (a partial run, e.g. one server's polling
/// scenario rerun after a client fix) replaces DIR's runs of the same scenario and server, and the report says so
/// with a link. <c>--publish yes</c> also updates bench/results/latest.md and bench/README.md, as a full run does.
/// </summary>
internal static class ReportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            Console.Error.WriteLine("usage: LoadTest report DIR [--replace DIR2[,DIR3…]] [--publish yes]");
            return 2;
        }

        var directory = Path.GetFullPath(args[0]);
        var options = CommandLine.Options(args, from: 1);

        var runFile = Path.Combine(directory, "run.json");
        if (!File.Exists(runFile))
        {
            Console.Error.WriteLine($"{runFile} not found: only runs that wrote run.json can be reported again");
            return 2;
        }

        var run = JsonSerializer.Deserialize<RunInfo>(await File.ReadAllTextAsync(runFile).ConfigureAwait(false))
            ?? throw new InvalidDataException(runFile + " is empty");
        var results = await ReadResultsAsync(directory).ConfigureAwait(false);
        string? replaced = null;
        var profile = run.Profile;
        if (options.TryGetValue("replace", out var later))
        {
            var notes = new List<string>();
            foreach (var other in later.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath))
            {
                var laterResults = await ReadResultsAsync(other).ConfigureAwait(false);
                var pairs = laterResults.Select(r => (r.Scenario, r.Server)).Distinct().ToList();
                results.RemoveAll(r => pairs.Contains((r.Scenario, r.Server)));
                results.AddRange(laterResults);
                var laterRunFile = Path.Combine(other, "run.json");
                var laterRun = File.Exists(laterRunFile) ? JsonSerializer.Deserialize<RunInfo>(await File.ReadAllTextAsync(laterRunFile).ConfigureAwait(false)) : null;
                var when = laterRun is null ? string.Empty : laterRun.Started.ToString(" yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + string.Create(CultureInfo.InvariantCulture, $" UTC, commit `{laterRun.Facts.Commit}`, load average before {laterRun.Facts.LoadBefore}");
                notes.Add($"{string.Join(", ", pairs.Select(p => $"{p.Scenario} `{p.Server}`"))} from a later run ([{Path.GetFileName(other)}](../{Path.GetFileName(other)}/results.md){when})");
                if (laterRun is not null && laterRun.Profile.IdleSettleSeconds != profile.IdleSettleSeconds && pairs.Any(p => p.Scenario is "idle" or "idle5"))
                {
                    // The idle tables say when memory was read: one table cannot mix rows read at different times.
                    var idleLeft = results.Where(r => r.Scenario is "idle" or "idle5" && !laterResults.Contains(r)).Select(r => $"{r.Scenario} `{r.Server}`").Distinct().ToList();
                    if (idleLeft.Count > 0)
                    {
                        Console.Error.WriteLine($"{other} read idle memory {laterRun.Profile.IdleSettleSeconds:0.#} s after connecting, {directory} {profile.IdleSettleSeconds:0.#} s: replace every idle row ({string.Join(", ", idleLeft)} would stay) or none");
                        return 2;
                    }

                    profile = profile with { IdleSettleSeconds = laterRun.Profile.IdleSettleSeconds };
                }
            }

            replaced = "Rows replaced: " + string.Join("; ", notes) + ".";
        }

        Tuning.Configure(run.Options);
        var publish = options.GetValueOrDefault("publish") == "yes";
        await Orchestrator.WriteReportAsync(profile, run, results, directory, Path.GetDirectoryName(directory)!, publish, replaced).ConfigureAwait(false);
        return 0;
    }

    private static async Task<List<RunResult>> ReadResultsAsync(string directory) =>
        JsonSerializer.Deserialize<List<RunResult>>(await File.ReadAllTextAsync(Path.Combine(directory, "results.json")).ConfigureAwait(false))
            ?? throw new InvalidDataException(Path.Combine(directory, "results.json") + " is empty");
}
