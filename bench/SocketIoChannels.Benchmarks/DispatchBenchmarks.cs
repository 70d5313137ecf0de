using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Events;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Benchmarks;

/// <summary>One inbound message through the event dispatcher to an <c>[OnMessage]</c> handler that echoes it
/// (DI scope, handler instance, parameter binding, encode, enqueue); and the same message arriving as a transport
/// payload first (decode, limits, the session's inbound queue), as a WebSocket message reaches the session loop.</summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private const string Payload = "~m~22~m~hello from the browser";
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

    [Benchmark]
    public async Task<int> ReceiveAndDispatchOneMessage()
    {
        await session.ReceiveAsync(Payload, normalizeNewlines: false, CancellationToken.None);
        while (session.Inbound.TryRead(out var commands))
        {
            foreach (var command in commands)
            {
                await services.Dispatcher.DispatchAsync(SocketIoEvent.Message, socket, command.Message);
            }
        }

        return BenchServices.Drain(session);
    }
}
