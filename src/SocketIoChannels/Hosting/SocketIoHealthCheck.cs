using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Hosting;

/// <summary>Healthy with the session count; Degraded while a configured backplane is disconnected (this server
/// still serves its own sessions, but sends no longer cross to the others).</summary>
internal sealed class SocketIoHealthCheck : IHealthCheck
{
    private readonly SessionStore sessions;
    private readonly BackplaneLink backplane;

    public SocketIoHealthCheck(SessionStore sessions, BackplaneLink backplane)
    {
        this.sessions = sessions;
        this.backplane = backplane;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = sessions.Count;
        var data = new Dictionary<string, object>
        {
            ["sessions"] = count,
            ["node"] = backplane.NodeId,
        };
        if (backplane.Backplane is not { } configured)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{count} sessions; no backplane (this server only).", data));
        }

        var name = configured.GetType().Name;
        data["backplane"] = name;
        data["backplaneConnected"] = configured.IsConnected;
        return Task.FromResult(configured.IsConnected
            ? HealthCheckResult.Healthy($"{count} sessions; backplane {name} connected as node {backplane.NodeId}.", data)
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"{count} sessions; backplane {name} is disconnected: sends reach this server's sessions only.", data: data));
    }
}
