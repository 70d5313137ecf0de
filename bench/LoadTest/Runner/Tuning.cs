using System.Diagnostics;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>
/// Opt-in settings for the .NET servers (ours, signalr, raw alike; never the node servers or the load client).
/// By default every .NET server runs with the defaults an ASP.NET Core app gets. <c>--tuned</c> applies
/// <see cref="Recommended"/>; <c>--server-env K=V[;K=V…]</c> adds environment variables for A/B runs of one setting.
/// Settings in the server's own code are switched by <c>BENCH_TUNE</c> (see Servers/ServerTuning.cs).
/// </summary>
internal static class Tuning
{
    /// <summary>The tuned variant (bench/README.md, "Tuned .NET servers"): socket completions and Kestrel's pipes
    /// inline on the epoll threads (no thread-pool hop per read and write), no hosting log scope and Activity per
    /// request, no Server header. Not in it: Workstation GC, IOQueueCount and TieredPGO=0, which did not measure
    /// apart from the noise or only shorten the JIT's warm-up.</summary>
    public static readonly KeyValuePair<string, string>[] Recommended =
    [
        new("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"),
        new("BENCH_TUNE", "inlinescheduling,noserverheader,nohostingdiagnostics"),
    ];

    private static readonly List<KeyValuePair<string, string>> Environment = [];

    /// <summary>What the .NET servers of this run get beyond the defaults ("defaults" when nothing).</summary>
    public static string Describe() =>
        Environment.Count == 0 ? "defaults" : string.Join(", ", Environment.Select(e => e.Key + "=" + e.Value));

    public static void Configure(IReadOnlyDictionary<string, string> options)
    {
        Environment.Clear();
        if (options.ContainsKey("tuned"))
        {
            Environment.AddRange(Recommended);
        }

        if (options.TryGetValue("server-env", out var extra))
        {
            foreach (var pair in extra.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new ArgumentException("--server-env takes K=V[;K=V…], not " + pair);
                }

                Environment.RemoveAll(e => e.Key == pair[..equals]);
                Environment.Add(new(pair[..equals], pair[(equals + 1)..]));
            }
        }
    }

    /// <summary>Applies the settings to the start of a .NET server.</summary>
    public static void Apply(ProcessStartInfo info)
    {
        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }
    }
}
