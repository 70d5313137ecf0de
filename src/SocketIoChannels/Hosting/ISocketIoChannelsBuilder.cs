using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace SocketIoChannels;

/// <summary>Configures SocketIoChannels after <c>AddSocketIoChannels()</c>: where handler classes come from.</summary>
/// <remarks>django-socketio: the autodiscovery of each app's <c>events.py</c>. Unlike the original, handlers are
/// found once at startup, and a handler that cannot be bound fails the startup.</remarks>
public interface ISocketIoChannelsBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }

    /// <summary>Scans an assembly for handler classes. Once any assembly or type is added, the entry assembly is
    /// no longer scanned implicitly (add it too if it has handlers).</summary>
    ISocketIoChannelsBuilder AddEventHandlersFrom(Assembly assembly);

    /// <summary>Adds one handler class. Once any assembly or type is added, the entry assembly is no longer scanned
    /// implicitly.</summary>
    ISocketIoChannelsBuilder AddEventHandler<THandler>()
        where THandler : class;
}
