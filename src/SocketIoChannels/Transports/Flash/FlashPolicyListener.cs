using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Transports;

/// <summary>
/// The opt-in Flash policy server (docs/protocol-0.6.md §6.2; 0.6's <c>flashPolicyServer</c>): when
/// <see cref="SocketIoOptions.FlashPolicyPort"/> is set, a TCP listener on that port (on all interfaces) writes the
/// policy to every connection at once and closes it. A port it cannot bind (843 needs root on Linux) is logged as a
/// warning; the app runs on, and Flash falls back to asking the HTTP port.
/// </summary>
internal sealed partial class FlashPolicyListener : IHostedService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private readonly int? port;
    private readonly ILogger<FlashPolicyListener> logger;
    private readonly CancellationTokenSource stopping = new();
    private TcpListener? listener;
    private Task? accepting;
    private int stopped;

    /// <param name="port">The port to listen on (<c>SocketIoOptions.FlashPolicyPort</c>), or <see langword="null"/> for off.</param>
    /// <param name="logger">Where bind failures and stops are logged.</param>
    public FlashPolicyListener(int? port, ILogger<FlashPolicyListener> logger)
    {
        this.port = port;
        this.logger = logger;
    }

    /// <summary>The port listened on, or <see langword="null"/> when off or not bound.</summary>
    public int? BoundPort => (listener?.LocalEndpoint as IPEndPoint)?.Port;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (port is not { } value)
        {
            return Task.CompletedTask;
        }

        var candidate = Socket.OSSupportsIPv6 ? new TcpListener(IPAddress.IPv6Any, value) : new TcpListener(IPAddress.Any, value);
        try
        {
            if (Socket.OSSupportsIPv6)
            {
                candidate.Server.DualMode = true;
            }

            candidate.Start();
        }
        catch (SocketException exception)
        {
            candidate.Dispose();
            LogBindFailed(value, exception.Message);
            return Task.CompletedTask;
        }

        listener = candidate;
        LogListening(value);
        accepting = Task.Run(() => AcceptLoopAsync(candidate, stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return; // a host may be stopped twice (StopAsync, then DisposeAsync)
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        listener?.Stop();
        if (accepting is not null)
        {
            await accepting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener tcp, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await tcp.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                LogAcceptFailed(exception.Message);
                continue;
            }

            _ = ServeAsync(socket);
        }
    }

    /// <summary>Writes the policy without reading the request (as 0.6 did), then reads until the client closes so
    /// that closing does not reset the connection before the policy was read.</summary>
    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await socket.SendAsync(FlashPolicy.Default, SocketFlags.None).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);
                using var drain = new CancellationTokenSource(DrainTimeout);
                var buffer = new byte[64];
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, drain.Token).ConfigureAwait(false) > 0)
                {
                }

                LogPolicyServed(socket.RemoteEndPoint?.ToString());
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                LogServeFailed(exception.Message);
            }
        }
    }

    [LoggerMessage(143, LogLevel.Information, "Flash policy server listening on port {Port}.")]
    private partial void LogListening(int port);

    [LoggerMessage(144, LogLevel.Warning, "The Flash policy server could not listen on port {Port} ({Reason}); Flash clients will ask the HTTP port instead. Port 843 needs root (or CAP_NET_BIND_SERVICE) on Linux.")]
    private partial void LogBindFailed(int port, string reason);

    [LoggerMessage(145, LogLevel.Debug, "Served the Flash policy to {Remote}.")]
    private partial void LogPolicyServed(string? remote);

    [LoggerMessage(146, LogLevel.Debug, "Serving the Flash policy failed: {Reason}")]
    private partial void LogServeFailed(string reason);

    [LoggerMessage(147, LogLevel.Debug, "Accepting a Flash policy connection failed: {Reason}")]
    private partial void LogAcceptFailed(string reason);
}
