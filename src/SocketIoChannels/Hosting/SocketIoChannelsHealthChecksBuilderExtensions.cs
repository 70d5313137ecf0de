using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketIoChannels.Hosting;

namespace SocketIoChannels;

/// <summary>Adds the SocketIoChannels health check.</summary>
public static class SocketIoChannelsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check named <paramref name="name"/> that reports Healthy with the number of live sessions
    /// (description and the <c>sessions</c> data entry), and Degraded (or <paramref name="failureStatus"/>) while a
    /// configured backplane, such as Redis, is disconnected. It covers every backplane: there is no separate Redis
    /// check to add.
    /// </summary>
    /// <remarks>django-socketio had no health check.</remarks>
    public static IHealthChecksBuilder AddSocketIoChannels(this IHealthChecksBuilder builder, string name = "socketio",
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name,
            provider => ActivatorUtilities.CreateInstance<SocketIoHealthCheck>(provider),
            failureStatus ?? HealthStatus.Degraded, tags));
    }
}
