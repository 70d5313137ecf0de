using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Events;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Benchmarks;

/// <summary>One inbound message through the event dispatcher to an <c>[OnMessage]</c> handler that echoes it
/// (DI scope, handler instance, parameter binding, encode, enqueue).</summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly JValue message = new("hello from the browser");
    private BenchServices services = null!;
    private Session session = null!;
    private SocketHandle socket = null!;

    [GlobalSetup]
    public void Setup()
    {
        services = new BenchServices();
        session = services.NewSession("room-1");
        socket = services.Handle(session);
    }

    [GlobalCleanup]
    public void Cleanup() => services.Dispose();

    [Benchmark]
    public async Task<int> DispatchOneMessage()
    {
        await services.Dispatcher.DispatchAsync(SocketIoEvent.Message, socket, message);
        return BenchServices.Drain(session);
    }
}
