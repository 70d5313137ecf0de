using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests.Packaging;

/// <summary>
/// What a team adopting the package gets: the packages' metadata and contents, and a new web app that installs
/// SocketIoChannels from a local folder feed, builds, runs on 127.0.0.1, and serves a page where Chromium connects
/// and exchanges messages.
/// </summary>
[Trait("Category", "Package")] // ../../test.sh runs these after the other tests, not alongside them
public sealed partial class PackageTests(PackageFixture package) : IClassFixture<PackageFixture>
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void EveryPackageHasItsLicenseReadmeRepositoryAndASymbolsPackage()
    {
        Assert.Contains("SocketIoChannels", package.PackageIds);
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", package.Version);
        foreach (var id in package.PackageIds)
        {
            using var zip = ZipFile.OpenRead(package.PackagePath(id));
            var metadata = Nuspec(zip);
            Assert.Equal(id, Element(metadata, "id").Value);
            Assert.Equal(package.Version, Element(metadata, "version").Value);
            var license = Element(metadata, "license");
            Assert.Equal("expression", license.Attribute("type")?.Value);
            Assert.Equal("BSD-2-Clause", license.Value);
            Assert.Equal("PACKAGE.md", Element(metadata, "readme").Value);
            Assert.False(string.IsNullOrWhiteSpace(Element(metadata, "description").Value));
            var repository = Element(metadata, "repository");
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.Equal(PackageFixture.RemoteUrl, repository.Attribute("url")?.Value);
            Assert.Equal(package.Commit, repository.Attribute("commit")?.Value);

            var readme = ReadText(zip, "PACKAGE.md");
            Assert.Equal(File.ReadAllText(Path.Combine(package.RepositoryRoot, "src", id, "PACKAGE.md")), readme);
            Assert.StartsWith("# " + id + "\n", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal); // the title first
            // A package page resolves no relative link: every link is absolute.
            Assert.All(MarkdownLinkTarget().Matches(readme), link => Assert.StartsWith("https://", link.Groups[1].Value, StringComparison.Ordinal));
            Assert.Contains("BSD", ReadText(zip, "LICENSE"));
            Assert.Contains("## [0.1.0]", ReadText(zip, "CHANGELOG.md"));
            Assert.NotNull(zip.GetEntry($"lib/net10.0/{id}.dll"));
            Assert.Contains($"<name>{id}</name>", ReadText(zip, $"lib/net10.0/{id}.xml")); // XML docs

            using var symbols = ZipFile.OpenRead(package.SymbolsPath(id));
            AssertSourceLinkedAndDeterministic(symbols, id);
        }
    }

    [Fact]
    public void TheCorePackageCarriesTheServedClientScriptAndTheTagHelper()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath("SocketIoChannels"));
        var metadata = Nuspec(zip);
        Assert.Contains(metadata.Descendants().Where(e => e.Name.LocalName == "dependency"), d => d.Attribute("id")?.Value == "Newtonsoft.Json");
        Assert.Contains(metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference"), d => d.Attribute("name")?.Value == "Microsoft.AspNetCore.App");

        using var dll = new MemoryStream(ReadBytes(zip, "lib/net10.0/SocketIoChannels.dll"));
        using var pe = new PEReader(dll);
        var reader = pe.GetMetadataReader();
        var resources = reader.ManifestResources.Select(h => reader.GetString(reader.GetManifestResource(h).Name)).ToList();
        Assert.Contains("SocketIoChannels.Client.socket.io.js", resources);
        var tagHelper = Assert.Single(reader.TypeDefinitions.Select(reader.GetTypeDefinition),
            t => reader.GetString(t.Namespace) == "SocketIoChannels" && reader.GetString(t.Name) == "SocketIoScriptTagHelper");
        Assert.True((tagHelper.Attributes & System.Reflection.TypeAttributes.Public) != 0, "the tag helper must be public to be found by @addTagHelper");
    }

    [Fact]
    public async Task AFreshWebAppInstallsThePackageFromAFolderAndABrowserExchangesMessages()
    {
        var app = Path.Combine(package.Root, "app-" + Guid.NewGuid().ToString("N")[..8]);
        var packages = Path.Combine(app, ".packages"); // its own packages folder: never a stale cached copy of this version
        WriteApp(app, packages);
        var build = ProcessRunner.StartInfo("dotnet", app, "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        build.Environment["NUGET_PACKAGES"] = packages; // it would win over NuGet.config's globalPackagesFolder
        await ProcessRunner.RunAsync(build, BuildTimeout);
        Assert.True(Directory.Exists(Path.Combine(packages, "socketiochannels", package.Version)), "restored from the folder feed into the app's own packages folder");

        var run = ProcessRunner.StartInfo("dotnet", app, Path.Combine(app, "bin", "Release", "net10.0", "PackagedApp.dll"), "--urls", "http://127.0.0.1:0");
        run.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = new Process { StartInfo = run };
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The app exited:\n" + Text()));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WithTimeout(TimeSpan.FromSeconds(60));
            using var playwright = await Playwright.CreateAsync().WithTimeout(TimeSpan.FromSeconds(60));
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = TestEnvironment.RequireChromium(),
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                Timeout = 60_000,
            }).WithTimeout(TimeSpan.FromSeconds(70));
            var page = await browser.NewPageAsync().WithTimeout();
            var response = await page.GotoAsync(address.ToString()).WithTimeout();
            Assert.True(response?.Ok, "GET / answered " + response?.Status);
            var html = await page.ContentAsync().WithTimeout();
            Assert.DoesNotContain("<socketio", html, StringComparison.Ordinal); // the tag helper replaced it...
            Assert.Contains("src=\"/socket.io/socket.io.js\"", html, StringComparison.Ordinal); // ...with the client script

            // The page sends once connected; the handler echoes.
            await page.WaitForFunctionAsync("() => window.received.length >= 1", null, new() { Timeout = 20_000 }).WithTimeout();
            Assert.Equal("echo: hello from the package", await page.EvaluateAsync<string>("() => window.received[0]").WithTimeout());

            // Out of band: an endpoint broadcasts to the channel the page subscribed to.
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };
            using var announce = await http.PostAsync("/announce", null).WithTimeout();
            Assert.Equal("1", await announce.Content.ReadAsStringAsync().WithTimeout());
            await page.WaitForFunctionAsync("() => window.received.length >= 2", null, new() { Timeout = 20_000 }).WithTimeout();
            Assert.Equal("to the lobby", await page.EvaluateAsync<string>("() => window.received[1]").WithTimeout());
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(e.Message + "\nApp output:\n" + Text(), e);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WithTimeout();
            }
        }

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            var match = ListeningPattern().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>A web app as a developer would write it after <c>dotnet add package SocketIoChannels</c>: a handler class,
    /// a Razor page with the <c>&lt;socketio /&gt;</c> tag helper, and an out-of-band endpoint.</summary>
    private void WriteApp(string app, string packages)
    {
        Directory.CreateDirectory(Path.Combine(app, "Pages"));
        File.WriteAllText(Path.Combine(app, "PackagedApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SocketIoChannels" Version="{package.Version}" />
              </ItemGroup>
            </Project>
            """);
        // No <clear />: the machine's sources (nuget.org) stay for Newtonsoft.Json; the folder feed adds ours.
        File.WriteAllText(Path.Combine(app, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
              <packageSources>
                <add key="socketiochannels-local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using SocketIoChannels;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRazorPages();
            builder.Services.AddSocketIoChannels();
            var app = builder.Build();
            app.UseSocketIoChannels();
            app.MapRazorPages();
            app.MapPost("/announce", () => Broadcaster.BroadcastChannel("to the lobby", "lobby").ToString());
            app.Run();

            public class EchoHandlers
            {
                [OnMessage]
                public void Echo(ISocket socket, string message) => socket.Send("echo: " + message);
            }
            """);
        File.WriteAllText(Path.Combine(app, "Pages", "Index.cshtml"), """
            @page
            @addTagHelper *, SocketIoChannels
            <!DOCTYPE html>
            <html>
            <head><title>packaged</title><socketio /></head>
            <body>
            <script>
              window.received = [];
              var socket = new io.Socket();
              socket.on('connect', function () { socket.send('hello from the package'); });
              socket.on('message', function (message) { window.received.push(message); });
              socket.connect();
              socket.subscribe('lobby');
            </script>
            </body>
            </html>
            """);
    }

    private static void AssertSourceLinkedAndDeterministic(ZipArchive symbols, string id)
    {
        using var pdb = new MemoryStream(ReadBytes(symbols, $"lib/net10.0/{id}.pdb"));
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = provider.GetMetadataReader();
        var sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
            .SingleOrDefault();
        Assert.NotNull(sourceLink);
        var expected = "https://raw.githubusercontent.com/socketiochannels-test/SocketIoChannels/" + Commit(symbols) + "/*";
        Assert.Contains(expected, sourceLink);

        // ContinuousIntegrationBuild maps the build folder to /_/: no machine path in the PDB.
        var documents = reader.Documents.Select(h => reader.GetString(reader.GetDocument(h).Name)).ToList();
        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.StartsWith("/_/", d, StringComparison.Ordinal));
    }

    private static string Commit(ZipArchive symbols) =>
        Element(Nuspec(symbols), "repository").Attribute("commit")?.Value ?? throw new InvalidOperationException("the symbols package has no commit");

    private static XElement Nuspec(ZipArchive zip)
    {
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static XElement Element(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? throw new InvalidOperationException($"The nuspec has no <{name}>: {metadata}");

    private static byte[] ReadBytes(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(path) ?? throw new InvalidOperationException($"The package has no {path}: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ReadText(ZipArchive zip, string path) => Encoding.UTF8.GetString(ReadBytes(zip, path));

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();

    /// <summary>The target of a Markdown link <c>[text](target)</c>.</summary>
    [GeneratedRegex(@"\]\(([^)\s]*)\)")]
    private static partial Regex MarkdownLinkTarget();
}
