namespace SocketIoChannels.Hosting;

/// <summary>Finds the positional <c>addrport</c> among a program's arguments, skipping what ASP.NET Core's
/// command-line configuration reads: <c>--key value</c>, <c>--key=value</c>, <c>-k value</c>, <c>/key value</c>
/// and <c>key=value</c>.</summary>
internal static class SocketIoCommandLine
{
    /// <summary>The one positional argument, or <see langword="null"/> when there is none.</summary>
    /// <exception cref="FormatException">More than one positional argument was given.</exception>
    public static string? FindAddrPort(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? found = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Length > 1 && (arg[0] == '-' || arg[0] == '/'))
            {
                if (!arg.Contains('=', StringComparison.Ordinal))
                {
                    i++; // its value, as the configuration provider takes it
                }

                continue;
            }

            if (arg.Contains('=', StringComparison.Ordinal))
            {
                continue; // key=value configuration
            }

            if (found is not null)
            {
                throw new FormatException($"Unexpected argument \"{arg}\" after \"{found}\": give at most one address (port, ipv4:port, [ipv6]:port or host:port).");
            }

            found = arg;
        }

        return found;
    }
}
