using System.Reflection;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The layering rules of the architecture guide, checked on the signatures and fields of every type.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Library = typeof(ISocket).Assembly;

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = new List<Type?> { type.BaseType };
        types.AddRange(type.GetInterfaces());
        types.AddRange(type.GetFields(all).Select(f => f.FieldType));
        types.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            types.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                types.Add(info.ReturnType);
            }
        }

        return types.Where(t => t is not null).SelectMany(t => Flatten(t!)).Distinct();
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<Type> Layer(string name) =>
        Library.GetTypes().Where(t => t.Namespace == "SocketIoChannels." + name && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)));

    [Theory]
    [InlineData("Protocol")]
    [InlineData("Channels")]
    public void PureLayersReferenceNoAspNetCoreAndNoOtherLayer(string layer)
    {
        var offending = Layer(layer)
            .SelectMany(t => ReferencedTypes(t).Select(r => (t, r)))
            .Where(p => p.r.Namespace is { } ns && (ns.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || (ns.StartsWith("SocketIoChannels.", StringComparison.Ordinal) && ns != "SocketIoChannels." + layer)))
            .Select(p => $"{p.t.Name} -> {p.r.FullName}")
            .ToList();

        Assert.Empty(offending);
        Assert.NotEmpty(Layer(layer));
    }

    [Fact]
    public void TransportsNeverReferenceEventsChannelsBroadcastingOrServer()
    {
        string[] forbidden = ["SocketIoChannels.Events", "SocketIoChannels.Channels", "SocketIoChannels.Broadcasting", "SocketIoChannels.Server"];

        var offending = Layer("Transports")
            .SelectMany(t => ReferencedTypes(t).Select(r => (t, r)))
            .Where(p => forbidden.Contains(p.r.Namespace))
            .Select(p => $"{p.t.Name} -> {p.r.FullName}")
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void HandlersNeverSeeHttpContext()
    {
        var handlerFacing = new[] { typeof(ISocket), typeof(SocketIoRequest) };

        var offending = handlerFacing.SelectMany(t => ReferencedTypes(t).Select(r => (t, r)))
            .Where(p => p.r == typeof(Microsoft.AspNetCore.Http.HttpContext) && p.t.GetMethod("FromHttpContext") is null)
            .ToList();

        Assert.Empty(offending);
        Assert.DoesNotContain(typeof(SocketIoRequest).GetProperties(), p => p.PropertyType == typeof(Microsoft.AspNetCore.Http.HttpContext));
    }
}
