using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SocketIoChannels;
using SocketIoChannels.Channels;
using SocketIoChannels.LoadServer;
using SocketIoChannels.Server;
using SocketIoChannels.Sessions;

// Usage: dotnet SocketIoChannels.LoadServer.dll [--SocketIo:MaxQueuedFrames=100 ...]
// Listens on 127.0.0.1 with a free port and prints "LISTENING <address>" once it serves. Logs Warning and above to
// stdout, one line each. Control endpoints under /load/ drive the broadcast and report what the server holds.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseKestrel(kestrel => kestrel.Limits.MaxConcurrentConnections = null).UseUrls("http://127.0.0.1:0");

// Accepted sockets inherit the listening socket's kernel send buffer (Linux). A fixed 32 KB (the kernel doubles it)
// instead of autotuning up to net.ipv4.tcp_wmem's maximum (4 MB) lets a client that stops reading fill the
// server's queue within seconds, not minutes; "Load:SendBufferSize=0" keeps the kernel's autotuning.
var sendBufferSize = builder.Configuration.GetValue("Load:SendBufferSize", 32 * 1024);
builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
{
    var listener = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
    if (sendBufferSize > 0)
    {
        listener.SendBufferSize = sendBufferSize;
    }

    return listener;
});
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton<LoadStats>();
builder.Services.AddSocketIoChannels().AddEventHandler<LoadHandlers>();
var app = builder.Build();
app.UseSocketIoChannels();

var stats = app.Services.GetRequiredService<LoadStats>();
var server = app.Services.GetRequiredService<SocketIoServer>();
var channels = app.Services.GetRequiredService<ChannelRegistry<Session>>();
var broadcaster = app.Services.GetRequiredService<ISocketIoBroadcaster>();
CancellationTokenSource? broadcasting = null;

app.MapGet("/load/stats", (string? channel) => Results.Json(new
{
    sessions = server.Sessions.Count,
    channels = channels.ChannelCount,
    subscribers = channel is null ? 0 : broadcaster.CountSubscribers(channel),
    connects = Interlocked.Read(ref stats.Connects),
    finishes = Interlocked.Read(ref stats.Finishes),
    broadcasts = Interlocked.Read(ref stats.Broadcasts),
    peakQueuedFrames = Interlocked.Read(ref stats.PeakQueuedFrames),
    peakHeapBytes = Interlocked.Read(ref stats.PeakHeapBytes),
    heapBytes = GC.GetTotalMemory(forceFullCollection: false),
    workingSetBytes = Environment.WorkingSet,
}));

// The managed heap after a full, compacting, blocking collection: what the server really holds.
app.MapPost("/load/gc", () =>
{
    for (var i = 0; i < 3; i++)
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    // What survived the last full blocking collection: the objects the server really holds.
    var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
    var generations = info.GenerationInfo.ToArray().Select(g => g.SizeAfterBytes - g.FragmentationAfterBytes).ToArray();
    return Results.Json(new { liveBytes = info.PromotedBytes, heapBytes = info.HeapSizeBytes, generations, totalMemory = GC.GetTotalMemory(forceFullCollection: false) });
});

app.MapPost("/load/sampler/reset", () =>
{
    Interlocked.Exchange(ref stats.PeakQueuedFrames, 0);
    Interlocked.Exchange(ref stats.PeakHeapBytes, 0);
    return Results.Ok();
});

// A steady broadcast of `rate` frames a second, each `size` characters starting with '#' (the clients count '#').
app.MapPost("/load/broadcast/start", (string channel, int rate, int size) =>
{
    broadcasting?.Cancel();
    var stop = broadcasting = new CancellationTokenSource();
    var payload = "#" + new string('x', Math.Max(0, size - 1));
    _ = Task.Run(async () =>
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(1, 1000 / rate)));
        while (await timer.WaitForNextTickAsync(CancellationToken.None) && !stop.IsCancellationRequested)
        {
            // Catch up on ticks the timer missed, so the rate holds as long as the server can keep up.
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; sent < due && !stop.IsCancellationRequested; sent++)
            {
                try
                {
                    broadcaster.BroadcastChannel(payload, channel);
                }
                catch (NoSocketException)
                {
                }

                Interlocked.Increment(ref stats.Broadcasts);
            }
        }
    });
    return Results.Ok();
});

app.MapPost("/load/broadcast/stop", () =>
{
    broadcasting?.Cancel();
    return Results.Ok();
});

// Samples the longest session queue and the heap (without collecting) ten times a second.
_ = Task.Run(async () =>
{
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
    while (await timer.WaitForNextTickAsync())
    {
        var longest = 0;
        foreach (var session in server.Sessions.All)
        {
            longest = Math.Max(longest, session.Outbound.Count);
        }

        Max(ref stats.PeakQueuedFrames, longest);
        Max(ref stats.PeakHeapBytes, GC.GetTotalMemory(forceFullCollection: false));
    }
});

await app.StartAsync();
Console.WriteLine("LISTENING " + app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
await app.WaitForShutdownAsync();

static void Max(ref long target, long value)
{
    var current = Interlocked.Read(ref target);
    while (value > current)
    {
        var seen = Interlocked.CompareExchange(ref target, value, current);
        if (seen == current)
        {
            return;
        }

        current = seen;
    }
}
