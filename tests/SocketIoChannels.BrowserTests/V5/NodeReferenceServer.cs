using System.Collections.Concurrent;
using System.Diagnostics;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// node/v5-reference-server.js: node's own socket.io 4.8 with the same events and test endpoints as
/// <see cref="V5TestServer"/>, so the v5 suites can be run against node (SOCKETIO_V5_SERVER=node) to show that
/// what they expect is what the reference implementation does. Needs 'npm ci' in bench/node.
/// </summary>
public sealed class NodeReferenceServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeReferenceServer(Process process) => this.process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public string Output => string.Join(Environment.NewLine, output);

    public static async Task<NodeReferenceServer> StartAsync(bool recovery)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(V5Paths.RequireNodeScript("v5-reference-server.js"));
        if (recovery)
        {
            start.ArgumentList.Add("--recovery");
        }

        var server = new NodeReferenceServer(new Process { StartInfo = start, EnableRaisingEvents = true });
        server.process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server.process.Exited += (_, _) => server.ready.TrySetException(new InvalidOperationException("the node reference server exited: " + server.Output));
        server.process.Start();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        server.BaseAddress = await server.ready.Task.WithTimeout(TimeSpan.FromSeconds(30), "the node reference server's READY line");
        return server;
    }

    public async ValueTask DisposeAsync() => await NodeProcess.StopAsync(process);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        if (line.StartsWith("READY ", StringComparison.Ordinal))
        {
            ready.TrySetResult(new Uri($"http://127.0.0.1:{line["READY ".Length..].Trim()}/"));
        }
    }
}
