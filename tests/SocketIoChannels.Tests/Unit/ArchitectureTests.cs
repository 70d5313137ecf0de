using System.Reflection;

namespace SocketIoChannels.Tests.Unit;

/// <summary>
/// The layering rules of the architecture guide. Every type of the library belongs to the layer of the folder its
/// source file is in (read from the library's PDB, so a new file is mapped without touching this test, and public
/// types in the root namespace are mapped like the rest); every reference a type makes, in its signatures, fields,
/// attributes and method bodies, must point down.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>Each folder of src/SocketIoChannels and the layers its types may use (besides their own).</summary>
    /// <remarks>Protocol ← Sessions ← Transports; Channels ← Broadcasting ← Events ← Server (above Sessions);
    /// Hosting on top; Diagnostics takes plain values and uses no other layer.</remarks>
    private static readonly Dictionary<string, string[]> MayUse = new(StringComparer.Ordinal)
    {
        ["Protocol"] = [],
        ["Channels"] = [],
        ["Diagnostics"] = [],
        ["Sessions"] = ["Protocol", "Diagnostics"],
        ["Transports"] = ["Sessions", "Protocol", "Diagnostics"],
        ["Broadcasting"] = ["Channels", "Sessions", "Protocol", "Diagnostics"],
        ["Events"] = ["Broadcasting", "Channels", "Sessions", "Protocol", "Diagnostics"],
        ["Server"] = ["Events", "Broadcasting", "Channels", "Sessions", "Protocol", "Diagnostics"],
        ["Hosting"] = ["Server", "Events", "Broadcasting", "Channels", "Sessions", "Transports", "Protocol", "Diagnostics"],
        ["TagHelpers"] = ["Hosting"],
    };

    /// <summary>The layers that may reference <c>Microsoft.AspNetCore.*</c>, and which of its namespaces.</summary>
    /// <remarks>Events evaluates <c>[Authorize]</c> on handlers with the host-agnostic authorization library
    /// (as SignalR's hub dispatcher does); nothing of HTTP.</remarks>
    private static readonly Dictionary<string, string[]> MayUseAspNetCore = new(StringComparer.Ordinal)
    {
        ["Transports"] = ["Microsoft.AspNetCore"],
        ["Hosting"] = ["Microsoft.AspNetCore"],
        ["TagHelpers"] = ["Microsoft.AspNetCore"],
        ["Events"] = ["Microsoft.AspNetCore.Authorization"],
    };

    private static readonly Assembly Library = typeof(ISocket).Assembly;

    private static readonly Lazy<IReadOnlyDictionary<Type, string>> Layers = new(() => SourceFolders.Map(Library));

    [Fact]
    public void EveryTypeIsInAFolderWithALayer()
    {
        var unmapped = ArchitectureScanner.SourceTypes(Library)
            .Where(t => !Layers.Value.TryGetValue(t, out var folder) || !MayUse.ContainsKey(folder))
            .Select(t => $"{t.FullName} ({(Layers.Value.TryGetValue(t, out var folder) ? "folder " + folder : "no source folder found")})")
            .ToList();

        Assert.True(unmapped.Count == 0, "Types in no known layer (add the folder to ArchitectureTests.MayUse): " + string.Join("; ", unmapped));
        Assert.Contains(typeof(SocketIoRequest), Layers.Value.Keys);
    }

    [Fact]
    public void EveryReferenceBetweenLayersPointsDown()
    {
        var offending = new List<string>();
        foreach (var (from, to, where) in ArchitectureScanner.References(Library))
        {
            if (Layer(from) is not { } fromLayer || Layer(to) is not { } toLayer || fromLayer == toLayer)
            {
                continue;
            }

            if (!MayUse.TryGetValue(fromLayer, out var allowed) || !allowed.Contains(toLayer))
            {
                offending.Add($"{fromLayer} -> {toLayer}: {Name(from)} uses {Name(to)} in {where}");
            }
        }

        Assert.True(offending.Count == 0, "References against the layer direction:\n" + string.Join("\n", offending.Distinct().Order()));
    }

    [Fact]
    public void OnlyTransportsHostingAndTagHelpersReferenceAspNetCore()
    {
        var offending = new List<string>();
        foreach (var (from, to, where) in ArchitectureScanner.References(Library))
        {
            if (to.Namespace is not { } ns || !ns.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || Layer(from) is not { } layer)
            {
                continue;
            }

            var allowed = MayUseAspNetCore.GetValueOrDefault(layer, []);
            if (!allowed.Any(prefix => ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal)))
            {
                offending.Add($"{layer}: {Name(from)} uses {to.FullName} in {where}");
            }
        }

        Assert.True(offending.Count == 0, "ASP.NET Core outside Transports and Hosting:\n" + string.Join("\n", offending.Distinct().Order()));
    }

    [Fact]
    public void HandlersNeverSeeHttpContext()
    {
        var handlerFacing = new[] { typeof(ISocket), typeof(SocketIoRequest) };

        var offending = ArchitectureScanner.References(Library)
            .Where(r => handlerFacing.Contains(Outermost(r.From)) && r.To.Namespace?.StartsWith("Microsoft.AspNetCore.Http", StringComparison.Ordinal) == true)
            .Select(r => $"{Name(r.From)} uses {r.To.FullName} in {r.Where}")
            .ToList();

        Assert.Empty(offending);
    }

    private static string? Layer(Type type) => Layers.Value.GetValueOrDefault(Outermost(type));

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
    }

    private static string Name(Type type) => Outermost(type).Name;
}
