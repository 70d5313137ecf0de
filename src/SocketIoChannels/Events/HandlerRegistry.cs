using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace SocketIoChannels.Events;

/// <summary>
/// Every handler method, per namespace and event (and per event name for OnEvent), in a fixed order: assemblies as
/// added, classes by full name, methods in declaration order. Built once at startup; a method that cannot be bound
/// fails the startup with its name.
/// </summary>
internal sealed class HandlerRegistry
{
    private const string DefaultNamespace = "/";
    private static readonly HandlerMethod[] None = [];

    private readonly HandlerMethod[][] byEvent; // every namespace
    private readonly Dictionary<string, HandlerMethod[][]> byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HandlerMethod[]>> byEventName = new(StringComparer.Ordinal);
    private readonly HandlerMethod[][] rootByEvent;

    public HandlerRegistry(HandlerSources sources, IServiceProviderIsService? isService)
    {
        var eventCount = Enum.GetValues<SocketIoEvent>().Length;
        var all = new List<HandlerMethod>();
        var namespaces = new List<string> { DefaultNamespace };
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in sources.ResolveTypes())
        {
            if (type.GetCustomAttribute<SocketIoNamespaceAttribute>(inherit: false) is not null)
            {
                // A declared namespace is served even when its class has no handler yet.
                var nsp = HandlerMethod.NamespaceOf(type, type.FullName ?? type.Name);
                if (!namespaces.Contains(nsp))
                {
                    namespaces.Add(nsp);
                }
            }

            foreach (var method in type.GetMethods(flags).OrderBy(m => m.MetadataToken))
            {
                foreach (var attribute in method.GetCustomAttributes<SocketIoEventAttribute>(inherit: false))
                {
                    all.Add(HandlerMethod.Create(method, attribute, isService));
                }
            }
        }

        byEvent = Enumerable.Range(0, eventCount).Select(e => all.Where(h => (int)h.Event == e).ToArray()).ToArray();
        foreach (var nsp in namespaces)
        {
            byNamespace[nsp] = Enumerable.Range(0, eventCount)
                .Select(e => all.Where(h => (int)h.Event == e && h.Namespace == nsp).ToArray()).ToArray();
            byEventName[nsp] = all.Where(h => h.Event == SocketIoEvent.Event && h.Namespace == nsp)
                .GroupBy(h => h.EventName!, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);
        }

        rootByEvent = byNamespace[DefaultNamespace];
        Namespaces = namespaces;
        WithDistinctChannelPatterns = all
            .Where(handler => handler.Channel is not null)
            .DistinctBy(handler => handler.Channel!.ToString())
            .ToArray();
    }

    /// <summary>One handler for each distinct channel pattern, of any event.</summary>
    public IReadOnlyList<HandlerMethod> WithDistinctChannelPatterns { get; }

    /// <summary>The namespaces served: <c>/</c> and each one a handler class declares.</summary>
    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>Whether a namespace is served (<c>/</c> always is).</summary>
    public bool HasNamespace(string nsp) => byNamespace.ContainsKey(nsp);

    /// <summary>The handlers of an event in every namespace.</summary>
    public IReadOnlyList<HandlerMethod> For(SocketIoEvent @event) => byEvent[(int)@event];

    /// <summary>The handlers of an event in one namespace (none for a namespace not served).</summary>
    public IReadOnlyList<HandlerMethod> For(SocketIoEvent @event, string nsp)
    {
        if (nsp == DefaultNamespace)
        {
            return rootByEvent[(int)@event];
        }

        return byNamespace.TryGetValue(nsp, out var handlers) ? handlers[(int)@event] : None;
    }

    /// <summary>The OnEvent handlers of the event <paramref name="eventName"/> in one namespace.</summary>
    public IReadOnlyList<HandlerMethod> ForEvent(string nsp, string eventName) =>
        byEventName.TryGetValue(nsp, out var names) && names.TryGetValue(eventName, out var handlers) ? handlers : None;

    public int Count => byEvent.Sum(handlers => handlers.Length);
}
