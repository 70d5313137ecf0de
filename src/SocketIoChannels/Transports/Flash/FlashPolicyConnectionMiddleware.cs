using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Transports;

/// <summary>
/// A Kestrel connection middleware that answers Flash's policy request inline on the HTTP port (docs/protocol-0.6.md §6.2): it
/// looks at the first bytes of each connection; if they are <c>&lt;policy-file-request/&gt;</c> and NUL it writes
/// the policy and closes, otherwise it hands the connection on untouched, nothing consumed. A connection that sends
/// nothing is closed after Kestrel's keep-alive timeout, checked on Kestrel's heartbeat (no timer per connection).
/// </summary>
internal sealed partial class FlashPolicyConnectionMiddleware
{
    private readonly ConnectionDelegate next;
    private readonly KestrelServerLimits limits;
    private readonly ILogger logger;

    public FlashPolicyConnectionMiddleware(ConnectionDelegate next, KestrelServerLimits limits, ILogger logger)
    {
        this.next = next;
        this.limits = limits;
        this.logger = logger;
    }

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        if (await AnswerPolicyRequestAsync(connection).ConfigureAwait(false))
        {
            return;
        }

        await next(connection).ConfigureAwait(false);
    }

    /// <summary>Waits for the first bytes. Returns <see langword="false"/> to hand the connection on, nothing
    /// consumed; <see langword="true"/> when it was a policy request (answered) or is to be closed.</summary>
    private async Task<bool> AnswerPolicyRequestAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var wait = new FirstBytesWait(input, DateTimeOffset.UtcNow + limits.KeepAliveTimeout);
        connection.Features.Get<IConnectionHeartbeatFeature>()?.OnHeartbeat(static state => ((FirstBytesWait)state).Check(), wait);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    LogIdleConnectionClosed(connection.ConnectionId);
                    connection.Abort(new ConnectionAbortedException("No request arrived within the keep-alive timeout."));
                    return true;
                }

                var buffer = result.Buffer;
                switch (FlashPolicy.IsRequest(buffer))
                {
                    case false when !wait.SawPrefix:
                        // Not Flash (an HTTP request, a TLS hello): hand it on with nothing consumed or examined.
                        input.AdvanceTo(buffer.Start);
                        return false;
                    case false:
                        // It began like the policy request and then went wrong: no HTTP request starts with '<'.
                        LogNotAPolicyRequest(connection.ConnectionId);
                        input.AdvanceTo(buffer.End);
                        return true;
                    case true:
                        input.AdvanceTo(buffer.GetPosition(FlashPolicy.Request.Length));
                        await connection.Transport.Output.WriteAsync(FlashPolicy.Default, connection.ConnectionClosed).ConfigureAwait(false);
                        await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
                        LogPolicyAnswered(connection.ConnectionId, connection.RemoteEndPoint?.ToString());
                        return true;
                    default:
                        wait.SawPrefix = true;
                        if (result.IsCompleted)
                        {
                            return true; // closed before a whole request arrived
                        }

                        input.AdvanceTo(buffer.Start, buffer.End);
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client went away or the server is stopping before a decision: nothing to hand on.
            return true;
        }
        finally
        {
            wait.Done = true;
        }
    }

    /// <summary>The state of the wait for a connection's first bytes, checked once a second by Kestrel.</summary>
    private sealed class FirstBytesWait(System.IO.Pipelines.PipeReader input, DateTimeOffset deadline)
    {
        public volatile bool Done;

        public bool SawPrefix;

        public void Check()
        {
            if (!Done && DateTimeOffset.UtcNow >= deadline)
            {
                Done = true;
                input.CancelPendingRead();
            }
        }
    }

    [LoggerMessage(140, LogLevel.Debug, "Answered a Flash policy request on the HTTP port (connection {ConnectionId} from {Remote}).")]
    private partial void LogPolicyAnswered(string connectionId, string? remote);

    [LoggerMessage(141, LogLevel.Debug, "Connection {ConnectionId} started like a Flash policy request but was not one: closed.")]
    private partial void LogNotAPolicyRequest(string connectionId);

    [LoggerMessage(142, LogLevel.Debug, "Connection {ConnectionId} sent nothing within the keep-alive timeout: closed.")]
    private partial void LogIdleConnectionClosed(string connectionId);
}
