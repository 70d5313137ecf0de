using System.Reflection;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Tests.Unit;

/// <summary>
/// Every [LoggerMessage] of the library has an event id unique across the library, in the range of its folder
/// (architecture guide: Hosting 1–99, Transports 100–199, Sessions 200–299, Events 300–399, Broadcasting 400–499,
/// Redis 500–599). Found by reflection, so log methods added later are checked too.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Dictionary<string, (int Min, int Max)> Ranges = new(StringComparer.Ordinal)
    {
        ["Hosting"] = (1, 99),
        ["Transports"] = (100, 199),
        ["Sessions"] = (200, 299),
        ["Server"] = (200, 299), // the session loop: the Sessions range (see README, Logging)
        ["Events"] = (300, 399),
        ["Broadcasting"] = (400, 499),
        ["Redis"] = (500, 599),
    };

    /// <summary>The library's assemblies: the core and every SocketIoChannels.* package assembly the tests load
    /// (the Redis backplane once it is referenced).</summary>
    private static IEnumerable<Assembly> LibraryAssemblies()
    {
        yield return typeof(ISocket).Assembly;
        var directory = Path.GetDirectoryName(typeof(LogEventIdTests).Assembly.Location)!;
        foreach (var file in Directory.GetFiles(directory, "SocketIoChannels.*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!name.Contains("Tests", StringComparison.Ordinal))
            {
                yield return Assembly.Load(new AssemblyName(name));
            }
        }
    }

    public static IReadOnlyList<(MethodInfo Method, LoggerMessageAttribute Attribute)> LogMethods() =>
        LibraryAssemblies()
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => (p.Method, p.Attribute!))
            .ToList();

    private static string Describe(MethodInfo method) => $"{method.DeclaringType!.FullName}.{method.Name}";

    /// <summary>The folder a type lives in, from its namespace: SocketIoChannels.Transports → Transports; the
    /// SocketIoChannels.StackExchangeRedis assembly → Redis.</summary>
    private static string Folder(MethodInfo method)
    {
        var ns = method.DeclaringType!.Namespace ?? string.Empty;
        if (method.DeclaringType.Assembly.GetName().Name!.Contains("Redis", StringComparison.Ordinal))
        {
            return "Redis";
        }

        var parts = ns.Split('.');
        return parts.Length > 1 ? parts[1] : "(root)";
    }

    [Fact]
    public void TheLibraryLogsThroughLoggerMessageMethods()
    {
        Assert.True(LogMethods().Count >= 20, $"only {LogMethods().Count} [LoggerMessage] methods found");
    }

    [Fact]
    public void EveryLogEventIdIsUniqueInTheLibrary()
    {
        var duplicates = LogMethods()
            .GroupBy(p => p.Attribute.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => Describe(p.Method)))}")
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryLogEventIdIsInTheRangeOfItsFolder()
    {
        var offending = LogMethods()
            .Where(p => !Ranges.TryGetValue(Folder(p.Method), out var range) || p.Attribute.EventId < range.Min || p.Attribute.EventId > range.Max)
            .Select(p => $"{Describe(p.Method)} ({Folder(p.Method)}) has event id {p.Attribute.EventId}")
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void EveryLogEventHasANameAndAMessage()
    {
        Assert.All(LogMethods(), p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Attribute.Message), Describe(p.Method) + " has no message");
            Assert.True(p.Attribute.EventId > 0, Describe(p.Method) + " has no event id");
        });
    }
}
