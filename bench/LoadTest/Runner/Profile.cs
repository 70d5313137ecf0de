namespace SocketIoChannels.LoadTest.Runner;

/// <summary>The sizes of one run: quick (under 3 minutes, small numbers), medium (profiling), full (the sizes).</summary>
internal sealed record Profile(
    string Name,
    int FanoutClients, double FanoutSeconds, double FanoutWarmup, int FanoutRepeats, int FanoutWindow,
    int[] IdleSizes, double IdleSeconds,
    int PollingSessions, double PollingSeconds,
    int EchoClients, double EchoSeconds,
    int ScaleoutClients, double ScaleoutSeconds, double ScaleoutWarmup)
{
    public static Profile For(string name, int maxIdle) => name switch
    {
        "quick" => new("quick", 500, 4, 1, 1, 4, [500, 1000], 2, 200, 4, 100, 4, 500, 4, 1),
        "medium" => new("medium", 3000, 8, 2, 2, 4, [2000, 5000], 5, 1000, 8, 500, 8, 3000, 8, 2),
        "full" => new("full", 10_000, 20, 3, 2, 4, [5000, 10_000, maxIdle], 12, 2000, 20, 1000, 20, 10_000, 15, 3),
        _ => throw new ArgumentException("profile must be quick, medium or full, not " + name),
    };
}
