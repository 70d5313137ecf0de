using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Events;

namespace SocketIoChannels.Hosting;

internal sealed class SocketIoChannelsBuilder : ISocketIoChannelsBuilder
{
    private readonly HandlerSources sources;

    public SocketIoChannelsBuilder(IServiceCollection services, HandlerSources sources)
    {
        Services = services;
        this.sources = sources;
    }

    public IServiceCollection Services { get; }

    public ISocketIoChannelsBuilder AddEventHandlersFrom(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        sources.Assemblies.Add(assembly);
        return this;
    }

    public ISocketIoChannelsBuilder AddEventHandler<THandler>()
        where THandler : class
    {
        sources.Types.Add(typeof(THandler));
        return this;
    }
}
