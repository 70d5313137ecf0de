namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// Where the v5 test tools are: socket.io-client 4.8 installed by npm in tests/SocketIoChannels.BrowserTests
/// (package.json; ../../test.sh runs npm when it is missing) and the node scripts in node/.
/// </summary>
public static class V5Paths
{
    public const string ClientModuleVariable = "SOCKETIO_CLIENT_V5_MODULE";

    /// <summary>sha256 of dist/socket.io.min.js in npm socket.io-client@4.8.4, 47 295 bytes.</summary>
    public const string BrowserBundleSha256 = "d5d79a35039e860b32bdef4795528b05c2f788d4b2d9dacc913120e2878f7b3f";

    private static readonly Lazy<string?> ProjectDirectory = new(FindProjectDirectory);

    /// <summary>node_modules/socket.io-client of the browser test project.</summary>
    public static string ClientModuleDirectory =>
        Environment.GetEnvironmentVariable(ClientModuleVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(RequireProjectDirectory(), "node_modules", "socket.io-client");

    /// <summary>The browser bundle socket.io-client publishes, served to the test pages from node_modules.</summary>
    public static string BrowserBundle => Path.Combine(ClientModuleDirectory, "dist", "socket.io.min.js");

    public static string RequireDriverScript() => RequireNodeScript("v5-driver.js");

    public static string RequireNodeScript(string name)
    {
        var path = Path.Combine(RequireProjectDirectory(), "node", name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"The node script {path} is missing.");
    }

    public static string RequireClientModule()
    {
        var bundle = BrowserBundle;
        return File.Exists(bundle)
            ? ClientModuleDirectory
            : throw new InvalidOperationException(
                $"socket.io-client 4.8 was not found ({bundle}). Run ./test.sh, or 'npm ci' in tests/SocketIoChannels.BrowserTests.");
    }

    /// <summary>The repository root (the folder with SocketIoChannels.sln).</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(RequireProjectDirectory(), "..", ".."));

    private static string RequireProjectDirectory() =>
        ProjectDirectory.Value ?? throw new InvalidOperationException(
            "tests/SocketIoChannels.BrowserTests was not found above " + AppContext.BaseDirectory);

    private static string? FindProjectDirectory()
    {
        // bin/Debug/net10.0 is below the project folder; the node scripts are in the source tree, never copied.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SocketIoChannels.BrowserTests.csproj")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
