using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// The real socket.io-client 4.8 (npm) in a Node process, <c>node/v5-driver.js</c>, driven over JSON lines on
/// stdin/stdout. One process serves many named clients; every command gets an answer within a timeout.
/// </summary>
public sealed class NodeClientDriver : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JToken>> pending = new();
    private readonly ConcurrentQueue<string> stderr = new();
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private long nextId;

    private NodeClientDriver(Process process) => this.process = process;

    /// <summary>The version of socket.io-client the driver loaded (4.8.x).</summary>
    public string ClientVersion { get; private set; } = "";

    public static async Task<NodeClientDriver> StartAsync()
    {
        var script = V5Paths.RequireDriverScript();
        V5Paths.RequireClientModule();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(script);
        start.Environment["SOCKETIO_CLIENT_V5_MODULE"] = V5Paths.ClientModuleDirectory;
        var driver = new NodeClientDriver(new Process { StartInfo = start, EnableRaisingEvents = true });
        var ready = new TaskCompletionSource<JToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        driver.pending[0] = ready;
        driver.process.OutputDataReceived += (_, e) => driver.OnLine(e.Data);
        driver.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                driver.stderr.Enqueue(e.Data);
            }
        };
        driver.process.Exited += (_, _) => driver.FailAll(new InvalidOperationException("the node driver exited: " + driver.Stderr));
        if (!driver.process.Start())
        {
            throw new InvalidOperationException("could not start node");
        }

        driver.process.BeginOutputReadLine();
        driver.process.BeginErrorReadLine();
        var hello = await ready.Task.WithTimeout(StartTimeout, "the node driver's ready line");
        driver.ClientVersion = hello.Value<string>("version") ?? "";
        return driver;
    }

    public string Stderr => string.Join(Environment.NewLine, stderr);

    /// <summary>Sends one command and returns its result; fails with the driver's error or after <paramref name="timeout"/>.</summary>
    public async Task<JToken> RunAsync(JObject command, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref nextId);
        command["id"] = id;
        var answer = new TaskCompletionSource<JToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        await writeLock.WaitAsync().WithTimeout();
        try
        {
            await process.StandardInput.WriteLineAsync(command.ToString(Formatting.None)).WithTimeout();
            await process.StandardInput.FlushAsync().WithTimeout();
        }
        finally
        {
            writeLock.Release();
        }

        try
        {
            // The driver's own waits are bounded (timeoutMs, 15 s by default); this bound is the backstop.
            return await answer.Task.WithTimeout(timeout ?? TimeSpan.FromSeconds(25), $"node driver: {command.ToString(Formatting.None)}");
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await NodeProcess.StopAsync(process);
        }
        finally
        {
            writeLock.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        JObject message;
        try
        {
            message = JObject.Parse(line);
        }
        catch (JsonReaderException)
        {
            stderr.Enqueue("(stdout, not JSON) " + line);
            return;
        }

        var id = message.Value<long?>("id") ?? -1;
        if (!pending.TryGetValue(id, out var answer))
        {
            stderr.Enqueue("(answer nobody waits for) " + line);
            return;
        }

        if (message.Value<bool>("ok"))
        {
            answer.TrySetResult(message["result"] ?? JValue.CreateNull());
        }
        else
        {
            answer.TrySetException(new NodeClientException(message.Value<string>("error") ?? "(no error text)"));
        }
    }

    private void FailAll(Exception error)
    {
        foreach (var answer in pending.Values)
        {
            answer.TrySetException(error);
        }
    }
}
