using System.Globalization;
using System.Text;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>The pieces every section of the report uses: medians over runs, summary tables with a ratio column
/// ours / X for every other server in them, number formats.</summary>
internal static class ReportTables
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["signalr"] = "SignalR",
        ["node06"] = "node 0.6.18",
        ["node48"] = "node 4.8",
    };

    /// <summary>The runs that produced figures: not the servers that cannot run the scenario, not the runs whose
    /// load client reported no result.</summary>
    public static List<RunResult> Measured(IEnumerable<RunResult> runs) => [.. runs.Where(r => !r.Values.ContainsKey("unsupported") && !r.Values.ContainsKey("failed"))];

    /// <summary>The servers present in <paramref name="runs"/>, in report order.</summary>
    public static List<string> ServersIn(IEnumerable<RunResult> runs) =>
        [.. runs.Select(r => r.Server).Distinct().OrderBy(Rank)];

    public static int Rank(string server)
    {
        var index = Array.IndexOf(ServerKinds.Order, server);
        return index < 0 ? ServerKinds.Order.Length : index;
    }

    public static IOrderedEnumerable<RunResult> Ordered(IEnumerable<RunResult> runs) => runs.OrderBy(r => Rank(r.Server)).ThenBy(r => r.Repeat);

    public static string Name(string server) => Names.GetValueOrDefault(server, server);

    /// <summary>Says which servers could not run a scenario (ours before Engine.IO 4 support) and which runs failed.</summary>
    public static void NotRun(StringBuilder md, IEnumerable<RunResult> runs)
    {
        var servers = runs.Where(r => r.Values.ContainsKey("unsupported")).Select(r => r.Server).Distinct().OrderBy(Rank).ToList();
        if (servers.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Not run: {string.Join(", ", servers.Select(s => $"`{s}`"))} (does not answer an Engine.IO 4 handshake yet).");
            md.AppendLine();
        }

        var failed = runs.Where(r => r.Values.ContainsKey("failed") && !r.Values.ContainsKey("unsupported")).Select(r => r.Server).Distinct().OrderBy(Rank).ToList();
        if (failed.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Failed: {string.Join(", ", failed.Select(s => $"`{s}`"))} (the load client reported no result; the console output of the run names the cause).");
            md.AppendLine();
        }
    }

    /// <summary>One row per metric: median (and range over runs) per server, then ours / X for every other server.</summary>
    public static void Summary(StringBuilder md, List<RunResult> runs, (string Label, string Key, int Digits)[] metrics)
    {
        var servers = ServersIn(runs);
        if (!servers.Contains("ours"))
        {
            servers.Insert(0, "ours");
        }

        var others = servers.Where(s => s != "ours").ToList();
        md.AppendLine("| metric | " + string.Join(" | ", servers) + " | " + string.Join(" | ", others.Select(o => "ours / " + Name(o))) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", servers.Count + others.Count)));
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
            md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", servers.Select(Cell))} | {string.Join(" | ", others.Select(Ratio))} |");
        }

        md.AppendLine();
    }

    public static Dictionary<string, double> Medians(List<RunResult> runs, string key) =>
        runs.GroupBy(r => r.Server)
            .Select(g => (g.Key, Values: g.Select(r => r[key]).Where(v => !double.IsNaN(v)).Order().ToList()))
            .Where(g => g.Values.Count > 0)
            .OrderBy(g => Rank(g.Key))
            .ToDictionary(g => g.Key, g => g.Values.Count % 2 == 1 ? g.Values[g.Values.Count / 2] : (g.Values[(g.Values.Count / 2) - 1] + g.Values[g.Values.Count / 2]) / 2);

    public static string N(double value) => double.IsNaN(value) ? "–" : value.ToString("N0", CultureInfo.InvariantCulture);

    public static string F(double value, int digits) => double.IsNaN(value) ? "–" : value.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
