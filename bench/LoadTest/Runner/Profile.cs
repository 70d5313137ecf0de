namespace SocketIoChannels.LoadTest.Runner;

/// <summary>The sizes of one run: smoke (a few clients for a few seconds: does every server and scenario work?),
/// quick (under 4 minutes, small numbers), medium (profiling), full (the sizes).
/// The v5 scenarios (fanout5, idle5, polling5) use the same sizes as their 0.6 counterparts. The warm-ups of the full
/// profile (15 s fan-out, 10 s polling and scale-out) keep tiered JIT out of the measured window: in shorter ones the
/// JIT was still 9-13% of a .NET server's CPU samples (bench/README.md). <see cref="IdleSettleSeconds"/> is how long the
/// idle scenarios wait after each size has connected before reading memory: 30 s in the full profile, so that every
/// connection has had its first keep-alive (0.6 heartbeat 10 s, SignalR ping 15 s, Engine.IO ping 25 s) and the heap is
/// the heap "with pings running"; 1 s elsewhere (and in runs before 2026-12-08, whose run.json lacks the field).</summary>
internal sealed record Profile(
    string Name,
    int FanoutClients, double FanoutSeconds, double FanoutWarmup, int FanoutRepeats, int[] FanoutWindows, double FanoutPacedMs, double FanoutPacedSeconds,
    int[] IdleSizes, double IdleSeconds,
    int[] PollingSessions, double PollingSeconds, double PollingWarmup,
    int EchoClients, double EchoSeconds,
    int ScaleoutClients, double ScaleoutSeconds, double ScaleoutWarmup,
    double IdleSettleSeconds = 1)
{
    public static Profile For(string name, int maxIdle) => name switch
    {
        "smoke" => new("smoke", 20, 2, 0.5, 1, [4], 100, 1, [20, 40], 1, [20], 3, 1, 10, 2, 20, 2, 0.5),
        "quick" => new("quick", 500, 3, 1, 1, [4, 16], 100, 2, [500, 1000], 2, [200], 3, 2, 100, 4, 500, 4, 1),
        "medium" => new("medium", 3000, 8, 2, 2, [4, 16], 200, 6, [2000, 5000], 5, [1000], 8, 5, 500, 8, 3000, 8, 2),
        "full" => new("full", 10_000, 20, 15, 2, [4, 16], 250, 10, [5000, 10_000, maxIdle], 12, [1000, 2000], 20, 10, 1000, 20, 10_000, 15, 10, IdleSettleSeconds: 30),
        _ => throw new ArgumentException("profile must be smoke, quick, medium or full, not " + name),
    };

    /// <summary>The profile with <c>--window N[,M…]</c>, <c>--paced-ms MS</c>, <c>--polling-sessions N[,M…]</c> and
    /// <c>--polling-seconds S</c> and <c>--idle-settle S</c> from the command line applied.</summary>
    public Profile With(IReadOnlyDictionary<string, string> options) => this with
    {
        FanoutWindows = options.TryGetValue("window", out var windows) ? [.. windows.Split(',').Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture))] : FanoutWindows,
        FanoutPacedMs = options.TryGetValue("paced-ms", out var paced) ? double.Parse(paced, System.Globalization.CultureInfo.InvariantCulture) : FanoutPacedMs,
        PollingSessions = options.TryGetValue("polling-sessions", out var sessions) ? [.. sessions.Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))] : PollingSessions,
        PollingSeconds = options.TryGetValue("polling-seconds", out var seconds) ? double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture) : PollingSeconds,
        IdleSettleSeconds = options.TryGetValue("idle-settle", out var settle) ? double.Parse(settle, System.Globalization.CultureInfo.InvariantCulture) : IdleSettleSeconds,
    };
}
