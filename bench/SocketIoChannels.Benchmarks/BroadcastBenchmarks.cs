using BenchmarkDotNet.Attributes;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Benchmarks;

/// <summary>
/// <c>BroadcastChannel</c> to 1,000 and 10,000 in-memory sessions: encode once, enqueue the same bytes to every
/// subscriber. Each operation also drains every session's queue (what the transports' send loops do), so the
/// queues never fill. The allocated bytes per operation must not grow with the number of recipients. The recipients
/// are Socket.IO 0.6 sessions or Socket.IO 5 sockets (each on its own Engine.IO session).
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

    [Params("0.6", "5")]
    public string Protocol { get; set; } = "0.6";

    [GlobalSetup]
    public void Setup()
    {
        services = new BenchServices();
        sessions = [.. Enumerable.Range(0, Recipients).Select(_ => Protocol == "5" ? services.NewSocket(Channel) : services.NewSession(Channel))];
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
