using Chat;
using Chat.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>The chat demo (samples/Chat) built by <see cref="ChatApp.Build"/> as <c>dotnet run</c> does, with the
/// addrport 127.0.0.1:0, its pages and wwwroot from the sample's folder, and its own temporary database.</summary>
public sealed class ChatServer : IAsyncDisposable
{
    public const string AdminUser = "boss";
    public const string AdminPassword = "correct horse 42";

    private readonly DirectoryInfo directory;
    private bool stopped;

    private ChatServer(KestrelTestServer server, DirectoryInfo directory, string databasePath)
    {
        Server = server;
        this.directory = directory;
        DatabasePath = databasePath;
    }

    public KestrelTestServer Server { get; }

    public string DatabasePath { get; }

    /// <summary>samples/Chat in this checkout.</summary>
    public static string SampleDirectory { get; } = FindSample();

    /// <summary>Starts the demo on a free port with a new database.</summary>
    public static Task<ChatServer> StartAsync(Action<WebApplication>? configureApp = null) =>
        StartAsync("127.0.0.1:0", Directory.CreateTempSubdirectory("socketiochannels-chat-"), configureApp);

    /// <summary>Starts the demo again on the port and database of a stopped one (a restart, as dotnet watch does).</summary>
    public Task<ChatServer> RestartAsync() => StartAsync("127.0.0.1:" + Server.Port, directory, null);

    /// <summary>Starts one more instance on a free port with the database in <paramref name="directory"/> and more
    /// arguments (instances of one chat sharing a database and Redis).</summary>
    public static Task<ChatServer> StartInstanceAsync(DirectoryInfo directory, params string[] arguments) =>
        StartAsync("127.0.0.1:0", directory, null, arguments);

    private static async Task<ChatServer> StartAsync(string addrport, DirectoryInfo directory, Action<WebApplication>? configureApp,
        params string[] arguments)
    {
        var database = Path.Combine(directory.FullName, "chat.db");
        var logs = new LogCollector(capacity: 20_000);
        var app = ChatApp.Build(
            [
                addrport, "--contentRoot", SampleDirectory, "--environment", "Production", $"--{ChatApp.DatabaseKey}={database}",
                $"--Chat:Admin:User={AdminUser}", $"--Chat:Admin:Password={AdminPassword}", .. arguments,
            ],
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                builder.Logging.SetMinimumLevel(LogLevel.Information);
                builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
                builder.Logging.AddFilter("SocketIoChannels", LogLevel.Debug);
            });
        configureApp?.Invoke(app);
        return new ChatServer(await KestrelTestServer.StartAsync(app, logs), directory, database);
    }

    /// <summary>A context on the demo's database file, as a second process would open it.</summary>
    public ChatDbContext OpenDatabase() =>
        new(new DbContextOptionsBuilder<ChatDbContext>().UseSqlite($"Data Source={DatabasePath};Pooling=False").Options);

    /// <summary>Stops the app as Ctrl+C does (every live session gets its teardown events); the database stays.</summary>
    public async Task StopAsync()
    {
        if (!stopped)
        {
            stopped = true;
            await Server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still open is left in /tmp; never a reason to fail a test.
        }
    }

    private static string FindSample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var sample = Path.Combine(dir.FullName, "samples", "Chat");
            if (File.Exists(Path.Combine(dir.FullName, "SocketIoChannels.sln")) && Directory.Exists(sample))
            {
                return sample;
            }
        }

        throw new InvalidOperationException("samples/Chat was not found above " + AppContext.BaseDirectory);
    }
}
