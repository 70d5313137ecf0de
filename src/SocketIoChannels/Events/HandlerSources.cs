using System.Reflection;

namespace SocketIoChannels.Events;

/// <summary>Where handler classes come from: the assemblies and types the builder added, or, when none were
/// added, the entry assembly.</summary>
internal sealed class HandlerSources
{
    public List<Assembly> Assemblies { get; } = [];

    public List<Type> Types { get; } = [];

    public IEnumerable<Type> ResolveTypes()
    {
        var seen = new HashSet<Type>();
        var assemblies = Assemblies.Count == 0 && Types.Count == 0 && Assembly.GetEntryAssembly() is { } entry
            ? [entry]
            : Assemblies.Distinct();
        foreach (var assembly in assemblies)
        {
            foreach (var type in assembly.GetTypes().Where(t => t.IsClass).OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                if (seen.Add(type))
                {
                    yield return type;
                }
            }
        }

        foreach (var type in Types)
        {
            if (seen.Add(type))
            {
                yield return type;
            }
        }
    }
}
