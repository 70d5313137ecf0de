using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>
/// Opens client connections from a rotating set of loopback source addresses (127.0.0.1, 127.0.0.2, …): each
/// source address has its own ephemeral port range, so past ~28,000 connections to one server port add more
/// addresses. Every connection binds its socket explicitly.
/// </summary>
internal sealed class Connector
{
    private readonly IPAddress[] sources;
    private int next;

    public Connector(IReadOnlyList<string> sourceAddresses)
    {
        sources = [.. sourceAddresses.Select(IPAddress.Parse)];
        Handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
            UseCookies = false,
        };
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: false);
        Http = new HttpClient(Handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public SocketsHttpHandler Handler { get; }

    public HttpMessageInvoker Invoker { get; }

    public HttpClient Http { get; }

    public async Task<WebSocket> ConnectWebSocketAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // no client pings: the servers' own heartbeats are measured
        await socket.ConnectAsync(uri, Invoker, cancellationToken).ConfigureAwait(false);
        return new CountingWebSocket(socket);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(sources[(int)((uint)Interlocked.Increment(ref next) % (uint)sources.Length)], 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
