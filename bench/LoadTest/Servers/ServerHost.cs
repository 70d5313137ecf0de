using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Runtime;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>
/// Hosts one of the three servers (raw: WebSockets on <c>/ws</c> and long polling under <c>/socket.io/</c>) on 127.0.0.1, port 0, plus the bench-only control surface the load client
/// drives: <c>GET /bench/stats?gc=1</c> (forces full blocking compacting GCs, then reports GC heap and RSS; the last two
/// fields, bytes allocated and thread-pool work items completed so far, are for profiling by hand) and the
/// <c>/bench/control</c> WebSocket (start the publisher, acknowledge deliveries). Prints <c>READY port</c>.
/// <c>--redis host:port</c> adds the Redis backplane to the SocketIoChannels server (scenario 5, scale-out).
/// </summary>
internal static class ServerHost
{
    public const string Group = "bench";

    public static async Task<int> RunAsync(string kind, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
        });
        ServerTuning.Apply(builder);

        switch (kind)
        {
            case "ours":
                var redisAt = Array.IndexOf(args, "--redis");
                var channels = builder.Services.AddSocketIoChannels();
                if (redisAt >= 0 && redisAt + 1 < args.Length)
                {
                    channels.AddStackExchangeRedis(args[redisAt + 1]);
                }

                builder.Services.AddSingleton<IFanoutTarget, OursTarget>();
                break;
            case "signalr":
                builder.Services.AddSignalR();
                builder.Services.AddSingleton<SignalRGroupCount>();
                builder.Services.AddSingleton<IFanoutTarget, SignalRTarget>();
                break;
            case "raw":
                builder.Services.AddSingleton<RawWebSocketServer>();
                builder.Services.AddSingleton<RawPollingServer>();
                builder.Services.AddSingleton<IFanoutTarget, RawTarget>();
                break;
            default:
                Console.Error.WriteLine("unknown server kind: " + kind);
                return 2;
        }

        builder.Services.AddSingleton<Publisher>();
        var app = builder.Build();
        switch (kind)
        {
            case "ours":
                app.UseSocketIoChannels();
                break;
            case "signalr":
                app.MapHub<BenchHub>("/hub");
                break;
            default:
                app.UseWebSockets();
                var raw = app.Services.GetRequiredService<RawWebSocketServer>();
                app.Map("/ws", raw.AcceptAsync);
                var rawPolling = app.Services.GetRequiredService<RawPollingServer>();
                app.Use(next => context => rawPolling.TryHandle(context) ?? next(context));
                break;
        }

        app.UseWebSockets();
        app.MapGet("/bench/stats", (HttpRequest request, IFanoutTarget target, Publisher publisher) =>
        {
            if (request.Query.ContainsKey("gc"))
            {
                for (var i = 0; i < 3; i++)
                {
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                }
            }

            return Results.Text(string.Create(CultureInfo.InvariantCulture,
                $"{target.Subscribers} {GC.GetTotalMemory(false)} {ProcStat.SelfRssBytes()} {publisher.Published} {publisher.Timeouts} {GC.GetTotalAllocatedBytes()} {ThreadPool.CompletedWorkItemCount}"));
        });
        app.Map("/bench/control", (HttpContext context, Publisher publisher) => ControlAsync(context, publisher));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine("READY " + new Uri(address).Port.ToString(CultureInfo.InvariantCulture));
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Commands, one per text message: <c>window N</c> starts the windowed publisher (at most N broadcasts
    /// not yet acknowledged), <c>every MS</c> starts one broadcast every MS milliseconds, <c>stop</c>, <c>ack</c>
    /// (the last subscriber received one broadcast).</summary>
    private static async Task ControlAsync(HttpContext context, Publisher publisher)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var text = Encoding.ASCII.GetString(buffer, 0, result.Count);
                foreach (var command in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = command.Split(' ');
                    switch (parts[0])
                    {
                        case "ack":
                            publisher.Ack();
                            break;
                        case "window":
                            publisher.StartWindowed(int.Parse(parts[1], CultureInfo.InvariantCulture));
                            break;
                        case "every":
                            publisher.StartPeriodic(TimeSpan.FromMilliseconds(double.Parse(parts[1], CultureInfo.InvariantCulture)));
                            break;
                        case "stop":
                            await publisher.StopAsync();
                            break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
        }

        await publisher.StopAsync();
    }
}
