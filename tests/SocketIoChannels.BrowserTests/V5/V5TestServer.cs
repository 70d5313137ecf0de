using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// Our server for the v5 suites: real Kestrel on 127.0.0.1:0 with <see cref="V5TestHandlers"/> and two test
/// endpoints, the same as node/v5-reference-server.js has: <c>POST /test/broadcast/{room}</c> (a JSON body,
/// out of band through <see cref="ISocketIoBroadcaster.BroadcastChannel"/>) and <c>POST /test/drop/{tag}</c>
/// (aborts the TCP connections of the requests that carried the query parameter <c>tag</c>: a dropped network),
/// <c>GET /test/connections/{tag}</c> (how many of those requests are still being served).
/// </summary>
public static class V5TestServer
{
    public static Task<KestrelTestServer> StartAsync(bool recovery, Action<WebApplication>? configureApp = null,
        Action<ISocketIoChannelsBuilder>? configureSocketIo = null)
    {
        var connections = new ConcurrentDictionary<HttpContext, string>();
        return KestrelTestServer.StartAsync(
            builder =>
            {
                var socketIo = builder.Services.AddSocketIoChannels(options => ConfigureOptions(options, recovery))
                    .AddEventHandler<V5TestHandlers>()
                    .AddEventHandler<V5AdminHandlers>();
                configureSocketIo?.Invoke(socketIo);
            },
            app =>
            {
                app.Use(async (context, next) =>
                {
                    var tag = context.Request.Query["tag"].ToString();
                    if (tag.Length == 0)
                    {
                        await next(context);
                        return;
                    }

                    connections[context] = tag;
                    try
                    {
                        await next(context);
                    }
                    finally
                    {
                        connections.TryRemove(context, out _);
                    }
                });
                app.UseSocketIoChannels();
                configureApp?.Invoke(app);
                app.MapPost("/test/broadcast/{room}", async (string room, HttpRequest request, ISocketIoBroadcaster broadcaster) =>
                {
                    using var reader = new StreamReader(request.Body);
                    var message = JToken.Parse(await reader.ReadToEndAsync());
                    try
                    {
                        return Results.Json(new { receivers = broadcaster.BroadcastChannel(message, room) });
                    }
                    catch (NoSocketException)
                    {
                        return Results.Json(new { receivers = 0 });
                    }
                });
                app.MapPost("/test/drop/{tag}", (string tag) =>
                {
                    var dropped = 0;
                    foreach (var (context, t) in connections)
                    {
                        if (t == tag)
                        {
                            context.Abort();
                            dropped++;
                        }
                    }

                    return Results.Json(new { receivers = dropped });
                });
                app.MapGet("/test/connections/{tag}", (string tag) => Results.Json(new { count = connections.Values.Count(t => t == tag) }));
            });
    }

    private static void ConfigureOptions(SocketIoOptions options, bool recovery)
    {
        if (recovery)
        {
            options.ConnectionStateRecovery.MaxDisconnectionDuration = TimeSpan.FromSeconds(60);
        }
    }
}
