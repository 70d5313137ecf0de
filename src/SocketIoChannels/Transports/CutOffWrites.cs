using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.Transports;

/// <summary>
/// Whether a write that had to wait for the client (a large poll answer, a WebSocket batch to a client that does not
/// read: where a cut-off happens) reached the connection. Kestrel completes the writes of a connection that was cut
/// off as if they went out, and cancels <see cref="HttpContext.RequestAborted"/> later, from a thread-pool work item:
/// a busy pool can run the caller's check before that (NothingLostTests lost frames that way, on polls and on
/// WebSockets, with a core busy). Kestrel's sockets transport closes the connection's socket before it completes those
/// writes, so a closed socket tells at once; on other transports the abort's work item is let run first (one hop).
/// </summary>
/// <remarks>A write that completed at once never waited for the client and is decided by the token alone, by the
/// caller.</remarks>
internal static class CutOffWrites
{
    /// <summary>The connection's socket when Kestrel runs on its sockets transport, else <see langword="null"/>.</summary>
    public static Socket? SocketOf(HttpContext context) => context.Features.Get<IConnectionSocketFeature>()?.Socket;

    /// <summary>After a write that had to wait has completed: whether it went out, or the connection was cut off.</summary>
    public static async ValueTask<bool> WentOutAsync(Socket? socket, CancellationToken aborted)
    {
        if (SocketClosed(socket))
        {
            return false;
        }

        await Task.Yield();
        return !aborted.IsCancellationRequested;
    }

    private static bool SocketClosed(Socket? socket)
    {
        try
        {
            return socket is not null && socket.SafeHandle.IsClosed;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
