namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>Where the browser and the real socket.io 0.6.18 client are. ../../test.sh sets both variables.</summary>
public static class TestEnvironment
{
    public const string ChromiumPathVariable = "CHROMIUM_PATH";
    public const string Client06PathVariable = "SOCKETIO_CLIENT_06_PATH";
    public const string DefaultChromiumPath = "/usr/bin/chromium";

    /// <summary>sha256 of support/socket.io-client/socket.io.js in npm socket.io@0.6.18 (client 0.6.3), 77 256 bytes.</summary>
    public const string Client06Sha256 = "f2981795f733ab487ec9b30da9a957c751782b0416b33d13f0427586b3363234";

    private const string Client06RelativePath = "node_modules/socket.io/support/socket.io-client/socket.io.js";

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable(ChromiumPathVariable) is { Length: > 0 } path ? path : DefaultChromiumPath;

    /// <summary>The file to run Chromium from, or an exception that says how to get it (tests fail, never skip).</summary>
    public static string RequireChromium()
    {
        var path = ChromiumPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at '{path}' ({ChromiumPathVariable}, default {DefaultChromiumPath}). The browser tests need " +
                "Debian's Chromium: run ./test.sh as root (it installs it), or 'apt-get install chromium', or point " +
                $"{ChromiumPathVariable} at a Chromium binary. Playwright's own browser download does not work here.");
        }

        return path;
    }

    /// <summary>The socket.io 0.6.18 client file, or null when it cannot be found.</summary>
    public static string? FindClient06()
    {
        if (Environment.GetEnvironmentVariable(Client06PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        // Developers running 'dotnet test' directly: the npm folder next to this project (bin/Debug/net10.0 is below it).
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[]
                     {
                         Path.Combine(dir.FullName, Client06RelativePath),
                         Path.Combine(dir.FullName, "tests", "SocketIoChannels.BrowserTests", Client06RelativePath),
                     })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The socket.io 0.6.18 client file, or an exception that says how to get it (tests fail, never skip).</summary>
    public static string RequireClient06() =>
        FindClient06() ?? throw new InvalidOperationException(
            $"The socket.io 0.6.18 browser client was not found ({Client06PathVariable}=" +
            $"'{Environment.GetEnvironmentVariable(Client06PathVariable)}'). Run ./test.sh, or 'npm ci' in " +
            $"tests/SocketIoChannels.BrowserTests, which installs {Client06RelativePath}.");
}
