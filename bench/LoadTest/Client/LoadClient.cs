using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>
/// The load client process: opens the connections of one scenario against one server and prints
/// <c>RESULT {json}</c>. Server CPU comes from /proc/PID/stat of the server process over the measured window.
/// </summary>
internal sealed partial class LoadClient
{
    private readonly Dictionary<string, string> options;
    private readonly Dictionary<string, double> result = [];
    private readonly Connector connector;
    private readonly Uri baseUri;
    private readonly string kind;
    private readonly int serverPid;
    private readonly Uri? secondUri;
    private readonly int secondPid;
    private readonly bool v5;

    private LoadClient(Dictionary<string, string> options)
    {
        this.options = options;
        kind = options["kind"];
        v5 = options["scenario"].EndsWith('5');
        baseUri = new Uri(options["url"]);
        serverPid = int.Parse(options["server-pid"], CultureInfo.InvariantCulture);
        if (options.TryGetValue("url2", out var url2))
        {
            // Scale-out: a second node; half of the fan-out clients connect to it, its CPU is added to the first's.
            secondUri = new Uri(url2);
            secondPid = int.Parse(options["server-pid2"], CultureInfo.InvariantCulture);
        }

        connector = new Connector(Get("sources", "127.0.0.1").Split(','));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var options = CommandLine.Options(args, from: 0);

        var client = new LoadClient(options);
        var scenario = options["scenario"];
        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            if (client.v5)
            {
                await EngineIoProbe.CheckAsync(client.connector.Http, client.baseUri, client.kind, overall.Token).ConfigureAwait(false);
            }

            await (scenario switch
            {
                "fanout" or "fanout5" => client.FanoutAsync(overall.Token),
                "idle" or "idle5" => client.IdleAsync(overall.Token),
                "polling" or "polling5" => client.PollingAsync(overall.Token),
                "echo" => client.EchoAsync(overall.Token),
                _ => throw new ArgumentException("unknown scenario " + scenario),
            }).ConfigureAwait(false);
        }
        catch (NotSupportedException exception)
        {
            // The orchestrator reports this as "not run" (or as a failure when the server was asked for by name).
            Console.Error.WriteLine($"client {scenario}/{client.kind}: not supported: {exception.Message}");
            client.result["unsupported"] = 1;
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"client {scenario}/{client.kind} failed: {exception}");
            client.result["failed"] = 1;
        }

        Console.WriteLine("RESULT " + JsonSerializer.Serialize(client.result));
        return 0;
    }

    private string Get(string key, string fallback) => options.TryGetValue(key, out var value) ? value : fallback;

    private int GetInt(string key, int fallback) => int.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private double GetDouble(string key, double fallback) => double.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private double ServerCpuSeconds() => ProcStat.CpuSeconds(serverPid) + (secondUri is null ? 0 : ProcStat.CpuSeconds(secondPid));

    /// <summary>The client of one connection: Socket.IO 0.6 (ours, node06 by xhr-polling), Engine.IO 4 /
    /// Socket.IO 5 in the v5 scenarios (ours, node48, raw's polling; only ours needs <c>emit("subscribe", "bench")</c>: node48
    /// joins every socket to the room on connect), SignalR, or the raw 0.6 frames.</summary>
    private IBenchClient Create(bool polling, Action<string> onMessage, Uri server) => (v5, kind, polling) switch
    {
        (true, "ours" or "node48", false) => new EngineIoWebSocketClient(connector, server, subscribe: kind == "ours", onMessage),
        (true, "ours" or "node48" or "raw", true) => new EngineIoPollingClient(connector.Http, server, subscribe: kind == "ours", onMessage),
        (true, _, _) => throw new NotSupportedException($"{kind} does not speak Engine.IO 4 / Socket.IO 5"),
        (false, "ours", false) => new FrameClient(connector, new Uri("ws://" + server.Authority + "/socket.io/websocket"), socketIo: true, onMessage),
        (false, "ours" or "node06" or "raw", true) => new XhrPollingClient(connector.Http, server, onMessage),
        (false, "raw", false) => new FrameClient(connector, new Uri("ws://" + server.Authority + "/ws"), socketIo: false, onMessage),
        (false, "signalr", _) => new SignalRBenchClient(connector, new Uri(server, "/hub"), polling, onMessage),
        (false, "node06", false) => throw new NotSupportedException("socket.io 0.6.18 speaks WebSocket hixie-75/76 only, not RFC 6455: only the polling scenario runs against node06"),
        (false, "node48", _) => throw new NotSupportedException("node48 speaks Engine.IO 4 / Socket.IO 5 only: its scenarios are fanout5, idle5 and polling5"),
        _ => throw new NotSupportedException($"{kind} has no {(polling ? "polling" : "websocket")} transport"),
    };

    /// <summary>Opens <paramref name="count"/> clients, 64 at a time; failures are counted, not fatal.</summary>
    private async Task ConnectAsync(List<IBenchClient> clients, int count, bool polling, Action<string> onMessage, CancellationToken cancellationToken, Uri? server = null)
    {
        var started = Stopwatch.StartNew();
        var failures = 0;
        var target = clients.Count + count;
        using var gate = new SemaphoreSlim(64);
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            var client = Create(polling, onMessage, server ?? baseUri);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(30));
                    await client.StartAsync(timeout.Token).ConfigureAwait(false);
                    lock (clients)
                    {
                        clients.Add(client);
                    }
                }
                catch (Exception exception)
                {
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.Error.WriteLine("connect failed: " + exception.Message);
                    }

                    await client.DisposeAsync().ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        result["connect_failures"] = result.GetValueOrDefault("connect_failures") + failures;
        Console.Error.WriteLine($"{kind}: {clients.Count}/{target} connected in {started.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task DisposeAllAsync(List<IBenchClient> clients)
    {
        using var gate = new SemaphoreSlim(256);
        await Task.WhenAll(clients.Select(async client =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        clients.Clear();
    }

    private async Task<ControlChannel> ControlAsync(CancellationToken cancellationToken, Uri? server = null)
    {
        var control = new ControlChannel(connector.Http, server ?? baseUri);
        await control.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return control;
    }

    /// <summary>Waits until no delivery has arrived for 300 ms (at most 10 s).</summary>
    private static async Task DrainAsync(Func<long> delivered, CancellationToken cancellationToken)
    {
        var limit = Stopwatch.StartNew();
        var last = delivered();
        while (limit.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(300, cancellationToken).ConfigureAwait(false);
            var now = delivered();
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }
}
