using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace SocketIoChannels.Events;

/// <summary>
/// Every handler method, per event, in a fixed order: assemblies as added, classes by full name, methods in
/// declaration order. Built once at startup; a method that cannot be bound fails the startup with its name.
/// </summary>
internal sealed class HandlerRegistry
{
    private readonly HandlerMethod[][] byEvent;

    public HandlerRegistry(HandlerSources sources, IServiceProviderIsService? isService)
    {
        var lists = Enum.GetValues<SocketIoEvent>().Select(_ => new List<HandlerMethod>()).ToArray();
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in sources.ResolveTypes())
        {
            foreach (var method in type.GetMethods(flags).OrderBy(m => m.MetadataToken))
            {
                foreach (var attribute in method.GetCustomAttributes<SocketIoEventAttribute>(inherit: false))
                {
                    lists[(int)attribute.Event].Add(HandlerMethod.Create(method, attribute, isService));
                }
            }
        }

        byEvent = lists.Select(list => list.ToArray()).ToArray();
        WithDistinctChannelPatterns = byEvent.SelectMany(handlers => handlers)
            .Where(handler => handler.Channel is not null)
            .DistinctBy(handler => handler.Channel!.ToString())
            .ToArray();
    }

    /// <summary>One handler for each distinct channel pattern, of any event.</summary>
    public IReadOnlyList<HandlerMethod> WithDistinctChannelPatterns { get; }

    public IReadOnlyList<HandlerMethod> For(SocketIoEvent @event) => byEvent[(int)@event];

    public int Count => byEvent.Sum(handlers => handlers.Length);
}
