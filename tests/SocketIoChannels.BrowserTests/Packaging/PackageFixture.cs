using System.Text.RegularExpressions;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests.Packaging;

/// <summary>
/// Packs every library under src/ once for the packaging tests, as a CI server would: from a snapshot of the working
/// tree (tracked and new files, .gitignore respected) committed into a throwaway git repository whose 'origin' is a
/// GitHub URL, with <c>CI=true</c>. The packages land in a local folder feed.
/// </summary>
public sealed partial class PackageFixture : IAsyncLifetime
{
    public const string RemoteUrl = "https://github.com/socketiochannels-test/SocketIoChannels.git";
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(4);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "socketiochannels-pack-" + Guid.NewGuid().ToString("N")[..12]);

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string Snapshot => Path.Combine(Root, "repo");

    public string Feed => Path.Combine(Root, "feed");

    public string Commit { get; private set; } = string.Empty;

    /// <summary>The version in Directory.Build.props.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>The package ids packed (one per project under src/).</summary>
    public IReadOnlyList<string> PackageIds { get; private set; } = [];

    public string PackOutput { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Snapshot);
        Directory.CreateDirectory(Feed);
        var props = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, "Directory.Build.props")).WithTimeout();
        Version = VersionPattern().Match(props).Groups[1].Value;

        foreach (var relative in await SourceFilesAsync())
        {
            var source = Path.Combine(RepositoryRoot, relative);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree
            }

            var target = Path.Combine(Snapshot, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        await GitAsync("init", "-q");
        await GitAsync("add", "-A");
        await GitAsync("-c", "user.name=SocketIoChannels tests", "-c", "user.email=tests@socketiochannels.invalid", "-c", "commit.gpgsign=false",
            "commit", "-q", "--no-verify", "-m", "snapshot");
        await GitAsync("remote", "add", "origin", RemoteUrl);
        Commit = (await GitAsync("rev-parse", "HEAD")).Trim();

        var projects = Directory.GetFiles(Path.Combine(Snapshot, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(projects);
        var output = new System.Text.StringBuilder();
        foreach (var project in projects)
        {
            var pack = ProcessRunner.StartInfo("dotnet", Snapshot, "pack", project, "-o", Feed, "--disable-build-servers", "-nodeReuse:false",
                "-p:UseSharedCompilation=false");
            pack.Environment["CI"] = "true"; // what CI servers set: src/Directory.Build.props turns on ContinuousIntegrationBuild
            output.Append(await ProcessRunner.RunAsync(pack, PackTimeout));
        }

        PackOutput = output.ToString();
        PackageIds = projects.Select(p => Path.GetFileNameWithoutExtension(p)).ToList();
    }

    /// <summary>The files a build of src/ reads, relative to the repository root: what git tracks or would track
    /// (so bin/ and obj/ stay out), or, where git cannot list them (not a checkout), every file but bin/ and obj/.</summary>
    private async Task<IEnumerable<string>> SourceFilesAsync()
    {
        string[] roots = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config",
            "README.md", "LICENSE", "CHANGELOG.md", ".editorconfig"];
        try
        {
            var listed = await ProcessRunner.RunAsync("git", RepositoryRoot, TimeSpan.FromSeconds(60),
                ["ls-files", "--cached", "--others", "--exclude-standard", "--", "src", .. roots]);
            return listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (InvalidOperationException)
        {
            var separator = Path.DirectorySeparatorChar;
            return Directory.GetFiles(Path.Combine(RepositoryRoot, "src"), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepositoryRoot, f))
                .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
                .Concat(roots);
        }
    }

    private Task<string> GitAsync(params string[] arguments) => ProcessRunner.RunAsync("git", Snapshot, TimeSpan.FromSeconds(60), arguments);

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public string SymbolsPath(string id) => Path.Combine(Feed, $"{id}.{Version}.snupkg");

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SocketIoChannels.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SocketIoChannels.sln was not found above " + AppContext.BaseDirectory);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }

    [GeneratedRegex(@"<Version>\s*([^<\s]+)\s*</Version>")]
    private static partial Regex VersionPattern();
}
