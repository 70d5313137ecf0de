namespace SocketIoChannels.LoadTest;

/// <summary>The <c>--name value</c> pairs every role of the executable takes.</summary>
internal static class CommandLine
{
    /// <summary>The pairs from <paramref name="args"/>[<paramref name="from"/>] on, by name without its dashes; a
    /// name repeated keeps its last value.</summary>
    public static Dictionary<string, string> Options(string[] args, int from)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = from; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }
}
