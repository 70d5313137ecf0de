using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Channels;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Events;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Benchmarks;

/// <summary>The library's real services from its DI registration, with in-memory sessions (no transport).</summary>
internal sealed class BenchServices : IDisposable
{
    private readonly ServiceProvider provider;

    public BenchServices(int maxQueuedFrames = 1000)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSocketIoChannels(options =>
        {
            options.MaxQueuedFrames = maxQueuedFrames;
            options.MessageLogFormat = null;
        }).AddEventHandler<EchoHandlers>();
        provider = services.BuildServiceProvider();
        Store = provider.GetRequiredService<SessionStore>();
        Channels = provider.GetRequiredService<ChannelRegistry<Session>>();
        Broadcaster = provider.GetRequiredService<SocketIoBroadcaster>();
        Membership = provider.GetRequiredService<ChannelMembership>();
        Dispatcher = provider.GetRequiredService<EventDispatcher>();
        Metrics = provider.GetRequiredService<SocketIoMetrics>();
        EngineIo = provider.GetRequiredService<EngineIoSessionStore>();
        Server = provider.GetRequiredService<SocketIoChannels.Server.SocketIoServer>();
    }

    public SessionStore Store { get; }

    public ChannelRegistry<Session> Channels { get; }

    public SocketIoBroadcaster Broadcaster { get; }

    public ChannelMembership Membership { get; }

    public EventDispatcher Dispatcher { get; }

    public SocketIoMetrics Metrics { get; }

    public EngineIoSessionStore EngineIo { get; }

    public SocketIoChannels.Server.SocketIoServer Server { get; }

    public static SocketIoRequest Request { get; } = new("GET", "http", "127.0.0.1", string.Empty, "/socket.io/websocket", string.Empty,
        new Dictionary<string, string>(), new Dictionary<string, string>(), new ClaimsPrincipal(new ClaimsIdentity()), IPAddress.Loopback);

    /// <summary>A session as a WebSocket connection would make it, subscribed to <paramref name="channel"/>, with
    /// its first frame (the session id) already taken by the transport.</summary>
    public Session NewSession(string channel)
    {
        var session = Store.Create("websocket", Request);
        Membership.Subscribe(session, channel);
        Drain(session);
        return session;
    }

    /// <summary>A Socket.IO 5 socket in the main namespace as an Engine.IO 4 WebSocket connection would make it,
    /// its CONNECT answered, subscribed to <paramref name="channel"/>, with what was queued for it (the OPEN packet,
    /// the CONNECT answer) already taken by the transport.</summary>
    public Session NewSocket(string channel)
    {
        var engine = EngineIo.Create("websocket", Request, Server);
        var socket = Store.CreateSocket(engine, "/", auth: null);
        socket.AcceptConnect();
        Membership.Subscribe(socket, channel);
        Drain(socket);
        return socket;
    }

    public SocketHandle Handle(Session session) => new(session, Broadcaster, Membership, Metrics);

    /// <summary>Takes everything queued for <paramref name="session"/> (for a Socket.IO 5 socket: its Engine.IO
    /// session's queue), as its transport would.</summary>
    public static int Drain(Session session)
    {
        var outbound = session.EngineIo?.Outbound ?? session.Outbound;
        var count = 0;
        while (outbound.TryRead(out _))
        {
            count++;
        }

        return count;
    }

    public void Dispose() => provider.Dispose();
}
