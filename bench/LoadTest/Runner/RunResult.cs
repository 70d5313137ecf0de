namespace SocketIoChannels.LoadTest.Runner;

/// <summary>One client run against one server process.</summary>
internal sealed record RunResult(string Scenario, string Server, int Repeat, Dictionary<string, double> Values)
{
    public double this[string key] => Values.TryGetValue(key, out var value) ? value : double.NaN;
}
