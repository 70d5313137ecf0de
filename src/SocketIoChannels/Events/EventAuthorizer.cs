using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace SocketIoChannels.Events;

/// <summary>
/// Evaluates a handler's <c>[Authorize]</c> with the app's <see cref="IAuthorizationService"/> against the user
/// of the request that opened the session (<see cref="SocketIoRequest.User"/>). The resource handed to
/// authorization handlers is the channel name for OnSubscribe and OnUnsubscribe, the <see cref="ISocket"/> for
/// the other events.
/// </summary>
internal sealed class EventAuthorizer
{
    private readonly IServiceProvider services;
    private readonly ConcurrentDictionary<HandlerMethod, Task<AuthorizationPolicy?>> policies = new(ReferenceEqualityComparer.Instance);

    public EventAuthorizer(IServiceProvider services)
    {
        this.services = services;
    }

    /// <summary>Throws at startup when a handler has <c>[Authorize]</c> but the app has no authorization services,
    /// or names a policy that does not exist.</summary>
    public void EnsureAvailable(HandlerRegistry registry)
    {
        foreach (var handler in Enum.GetValues<SocketIoEvent>().SelectMany(registry.For).Where(h => h.Authorization is not null))
        {
            if (services.GetService<IAuthorizationService>() is null || services.GetService<IAuthorizationPolicyProvider>() is null)
            {
                throw new InvalidOperationException(
                    $"The handler {handler.Name} has [Authorize], but no authorization services are registered: call builder.Services.AddAuthorization().");
            }

            try
            {
                // Policy providers answer from memory at startup; a missing policy fails now, not at the first event.
                policies.GetOrAdd(handler, CombineAsync).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException exception)
            {
                throw new InvalidOperationException($"The [Authorize] of the handler {handler.Name} cannot be used: {exception.Message}", exception);
            }
        }
    }

    public async ValueTask<bool> IsAllowedAsync(HandlerMethod handler, SocketHandle socket, string? channel)
    {
        var policy = await policies.GetOrAdd(handler, CombineAsync).ConfigureAwait(false);
        if (policy is null)
        {
            return true;
        }

        var authorization = services.GetRequiredService<IAuthorizationService>();
        var resource = handler.Event is SocketIoEvent.Subscribe or SocketIoEvent.Unsubscribe && channel is not null ? channel : (object)socket;
        var result = await authorization.AuthorizeAsync(socket.Session.Request.User, resource, policy).ConfigureAwait(false);
        return result.Succeeded;
    }

    private Task<AuthorizationPolicy?> CombineAsync(HandlerMethod handler) =>
        AuthorizationPolicy.CombineAsync(services.GetRequiredService<IAuthorizationPolicyProvider>(), handler.Authorization!);
}
