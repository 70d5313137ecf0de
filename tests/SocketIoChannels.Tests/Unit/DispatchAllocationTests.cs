using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Events;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Unit;

/// <summary>
/// What one event costs the dispatcher (issue 11, "Handler invocation without reflection per call"): handlers are
/// called through a delegate compiled at startup (no argument array, no boxing), an event no handler applies to
/// allocates no invocation and no DI scope, and handlers that take no service run without one. Allocations are
/// exact, unlike times, so they are what this pins.
/// </summary>
public sealed class DispatchAllocationTests
{
    public sealed class EchoHandlers
    {
        [OnMessage]
        public void Echo(ISocket socket, JToken message, CancellationToken cancellationToken) => socket.Send(message);
    }

    public sealed class RoomOnlyHandlers
    {
        [OnMessage(Channel = "^room-")]
        public void Echo(ISocket socket, JToken message) => socket.Send(message);
    }

    private static (ServiceProvider Services, Session Session, SocketHandle Socket) Start<THandlers>(string channel)
        where THandlers : class
    {
        var collection = new ServiceCollection().AddLogging();
        collection.AddSocketIoChannels(o => o.MessageLogFormat = null).AddEventHandler<THandlers>();
        var services = collection.BuildServiceProvider();
        var request = TestRequests.Local();
        var session = services.GetRequiredService<SessionStore>().Create("websocket", request);
        var socket = new SocketHandle(session, services.GetRequiredService<SocketIoBroadcaster>(), services.GetRequiredService<ChannelMembership>(),
            services.GetRequiredService<SocketIoMetrics>());
        socket.Subscribe(channel);
        return (services, session, socket);
    }

    private static long BytesPerDispatch(EventDispatcher dispatcher, Session session, SocketHandle socket, SocketIoEvent @event, JToken message)
    {
        const int Count = 2_000;
        for (var i = 0; i < 100; i++)
        {
            Dispatch(dispatcher, session, socket, @event, message); // JIT, the session's token, first-use caches
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            Dispatch(dispatcher, session, socket, @event, message);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Count;
    }

    private static void Dispatch(EventDispatcher dispatcher, Session session, SocketHandle socket, SocketIoEvent @event, JToken message)
    {
        var dispatched = dispatcher.DispatchAsync(@event, socket, message);
        Assert.True(dispatched.IsCompletedSuccessfully && dispatched.Result, "the synchronous handlers completed at once");
        while (session.Outbound.TryRead(out _))
        {
        }
    }

    /// <summary>Bytes per dispatch of a message, beyond those of an event with no handler at all (the dispatch's
    /// own state machine in a Debug build).</summary>
    private static long MessageCost<THandlers>(string channel)
        where THandlers : class
    {
        var (services, session, socket) = Start<THandlers>(channel);
        using var _ = services;
        var dispatcher = services.GetRequiredService<EventDispatcher>();
        var message = new JValue("hello from the browser");
        var baseline = BytesPerDispatch(dispatcher, session, socket, SocketIoEvent.Finish, message);
        return BytesPerDispatch(dispatcher, session, socket, SocketIoEvent.Message, message) - baseline;
    }

    [Fact]
    public void AMessageToASynchronousHandlerAllocatesNoScopeNoArgumentArrayAndNoBoxedToken()
    {
        // What remains: the invocation, the handler instance and the encoded frame (280 B in a Debug build, 184 B in
        // Release with the dispatcher's own). Before: 768 B in Debug, with a DI scope, an argument array, a boxed
        // CancellationToken and the state machine of the reflection call.
        var bytes = MessageCost<EchoHandlers>("lobby");
        Assert.True(bytes <= 320, $"{bytes} B per dispatch");
    }

    [Fact]
    public void AMessageNoHandlerAppliesToAllocatesNeitherAnInvocationNorAScope()
    {
        // The copy of the session's channels to match the pattern against (64 B in a Debug build). Before: 440 B,
        // with the invocation and a DI scope made for no handler.
        var bytes = MessageCost<RoomOnlyHandlers>("lobby"); // not a room-* channel: the handler does not apply
        Assert.True(bytes <= 100, $"{bytes} B per dispatch");
    }
}
