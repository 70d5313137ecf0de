using BenchmarkDotNet.Attributes;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Benchmarks;

/// <summary>
/// <c>BroadcastChannel</c> to 1,000 and 10,000 in-memory sessions: encode once, enqueue the same bytes to every
/// subscriber. Each operation also drains every session's queue (what the transports' send loops do), so the
/// queues never fill. The allocated bytes per operation must not grow with the number of recipients.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    private const string Channel = "room-42";
    private static readonly object Message = new { action = "message", name = "alice", message = "hello everyone" };
    private BenchServices services = null!;
    private Session[] sessions = [];

    [Params(1_000, 10_000)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        services = new BenchServices();
        sessions = [.. Enumerable.Range(0, Recipients).Select(_ => services.NewSession(Channel))];
    }

    [GlobalCleanup]
    public void Cleanup() => services.Dispose();

    [Benchmark]
    public int BroadcastChannel()
    {
        var delivered = services.Broadcaster.BroadcastChannel(Message, Channel);
        foreach (var session in sessions)
        {
            BenchServices.Drain(session);
        }

        return delivered;
    }
}
