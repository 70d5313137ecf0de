using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketIoChannels.Events;
using SocketIoChannels.Hosting;

namespace SocketIoChannels;

/// <summary>Adds the Socket.IO endpoints to the request pipeline.</summary>
public static class SocketIoChannelsApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the Socket.IO transports and the client script under <c>/{Resource}/</c> as middleware; every other
    /// request, including paths under the resource that name no transport, goes on to the next middleware. The
    /// WebSockets middleware is added for the paths under <c>/{Resource}/</c> only (the app need not call
    /// <c>UseWebSockets()</c>; the rest of its pipeline is left as it was).
    /// Handler methods are checked here: one that cannot be bound throws, naming it.
    /// </summary>
    /// <remarks>django-socketio: <c>url("", include("django_socketio.urls"))</c>.</remarks>
    public static IApplicationBuilder UseSocketIoChannels(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var dispatcher = Prepare(app.ApplicationServices);
        // A branch for the resource's paths only, as SignalR does for its hubs; requests it does not serve rejoin the
        // main pipeline. Not an async lambda: its state machine would live as long as every WebSocket.
        return app.UseWhen(context => dispatcher.IsUnderResource(context.Request.Path), branch =>
        {
            branch.UseWhen(MayBeWebSocket, upgrades =>
            {
                upgrades.Use(InstallCoalescingUpgrade(app.ApplicationServices));
                upgrades.UseWebSockets();
            });
            branch.Use(next => context => dispatcher.TryHandle(context) ?? next(context));
        });
    }

    /// <summary>
    /// Maps the Socket.IO transports and the client script as endpoints under <c>/{Resource}/</c>, so endpoint
    /// conventions apply to them, e.g. <c>.RequireAuthorization("policy")</c> or <c>.RequireCors(...)</c>. The
    /// endpoint runs the WebSockets middleware itself (the app need not call <c>UseWebSockets()</c>).
    /// Handler methods are checked here: one that cannot be bound throws, naming it.
    /// </summary>
    /// <remarks>django-socketio: <c>url("", include("django_socketio.urls"))</c>.</remarks>
    public static IEndpointConventionBuilder MapSocketIoChannels(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var dispatcher = Prepare(endpoints.ServiceProvider);
        var resource = endpoints.ServiceProvider.GetRequiredService<IOptions<SocketIoOptions>>().Value.Resource.Trim('/');
        // The WebSockets middleware inside the endpoint, as SignalR maps its hubs: only these requests get it.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWhen(MayBeWebSocket, upgrades =>
        {
            upgrades.Use(InstallCoalescingUpgrade(endpoints.ServiceProvider));
            upgrades.UseWebSockets();
        });
        pipeline.Run(context => dispatcher.TryHandle(context) ?? NotATransportAsync(context));
        return endpoints.Map("/" + resource + "/{**path}", pipeline.Build())
            .WithDisplayName("SocketIoChannels");
    }

    // The WebSockets middleware only for a request that can become one: an HTTP/1.1 upgrade or an HTTP/2 extended
    // CONNECT. It creates a handshake object and sets a feature for every request it sees, and a long poll is one
    // request per delivery; any other request would find no WebSocket in it anyway.
    private static bool MayBeWebSocket(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true };

    // An Engine.IO 4 WebSocket's frames go to the socket in batches: the WebSockets middleware upgrades through a
    // feature that wraps the connection's stream (Transports.CoalescingUpgradeStream).
    private static Func<RequestDelegate, RequestDelegate> InstallCoalescingUpgrade(IServiceProvider services)
    {
        var observer = services.GetService<Transports.CoalescingUpgradeObserver>(); // a test hook
        return next => context =>
        {
            Transports.CoalescingUpgradeStream.Install(context, observer);
            return next(context);
        };
    }

    private static Task NotATransportAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Not a Socket.IO transport: " + context.Request.Path, context.RequestAborted);
    }

    private static SocketIoRequestDispatcher Prepare(IServiceProvider services)
    {
        if (services.GetService<HandlerSources>() is null)
        {
            throw new InvalidOperationException(
                "SocketIoChannels services are missing: call builder.Services.AddSocketIoChannels() before UseSocketIoChannels() or MapSocketIoChannels().");
        }

        _ = services.GetRequiredService<IOptions<SocketIoOptions>>().Value; // validates the options now
        var registry = services.GetRequiredService<HandlerRegistry>(); // fails now on a handler that cannot be bound
        services.GetRequiredService<EventAuthorizer>().EnsureAvailable(registry); // and on [Authorize] without AddAuthorization()
        return services.GetRequiredService<SocketIoRequestDispatcher>();
    }
}
