using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// tests/SocketIoChannels.LoadServer run as a child process (<c>dotnet SocketIoChannels.LoadServer.dll</c>): its own
/// memory, its own file descriptors, its Warning logs read from stdout, its state read through <c>/load/</c>.
/// </summary>
public sealed class LoadServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LoadServerProcess(Process process)
    {
        this.process = process;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; private set; } = null!;

    public HttpClient Http { get; }

    /// <summary>Every line the server wrote to stdout or stderr (its Warning and Error logs).</summary>
    public IReadOnlyCollection<string> Output => output;

    public static async Task<LoadServerProcess> StartAsync(params string[] arguments)
    {
        var dll = typeof(LoadServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LoadServerPath").Value!;
        Assert.True(File.Exists(dll), "the load server was not built: " + dll);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        var server = new LoadServerProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        server.process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server.process.Exited += (_, _) => server.listening.TrySetException(new InvalidOperationException("the load server exited: " + string.Join('\n', server.output)));
        server.process.Start();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        server.Address = await server.listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        server.Http.BaseAddress = server.Address;
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            listening.TrySetResult(new Uri(line["LISTENING ".Length..]));
        }
    }

    public async Task<JObject> StatsAsync(string? channel = null) =>
        JObject.Parse(await Http.GetStringAsync("/load/stats" + (channel is null ? string.Empty : "?channel=" + Uri.EscapeDataString(channel))).WaitAsync(TimeSpan.FromSeconds(60)));

    /// <summary>The bytes of managed objects that survive a forced full compacting collection in the server.</summary>
    public async Task<long> CollectAsync()
    {
        using var response = await Http.PostAsync("/load/gc", null).WaitAsync(TimeSpan.FromSeconds(60));
        response.EnsureSuccessStatusCode();
        return (long)JObject.Parse(await response.Content.ReadAsStringAsync())["liveBytes"]!;
    }

    public async Task PostAsync(string pathAndQuery)
    {
        using var response = await Http.PostAsync(pathAndQuery, null).WaitAsync(TimeSpan.FromSeconds(60));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Polls the stats until <paramref name="condition"/> holds.</summary>
    public async Task<JObject> WaitForStatsAsync(Func<JObject, bool> condition, TimeSpan timeout, string? channel = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var stats = await StatsAsync(channel);
            if (condition(stats))
            {
                return stats;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException("the load server never reached the expected state; last stats: " + stats.ToString(Newtonsoft.Json.Formatting.None));
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.Dispose();
    }
}
