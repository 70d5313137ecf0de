using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Diagnostics;

namespace SocketIoChannels.Events;

/// <summary>
/// Runs the handlers of one event for one session, in registration order, each in its own DI scope. A handler
/// that throws is logged, the OnError handlers run, and the remaining handlers of that event are skipped; the
/// exception never leaves the session.
/// </summary>
internal sealed partial class EventDispatcher
{
    private readonly HandlerRegistry registry;
    private readonly IServiceScopeFactory scopes;
    private readonly EventAuthorizer authorizer;
    private readonly ILogger<EventDispatcher> logger;
    private volatile bool halted;

    public EventDispatcher(HandlerRegistry registry, IServiceScopeFactory scopes, EventAuthorizer authorizer, ILogger<EventDispatcher> logger)
    {
        this.registry = registry;
        this.scopes = scopes;
        this.authorizer = authorizer;
        this.logger = logger;
    }

    /// <summary>Whether <see cref="Halt"/> was called: no handler starts any more.</summary>
    public bool IsHalted => halted;

    /// <summary>Starts no handler from now on (the host has stopped); a handler already running is not
    /// interrupted.</summary>
    public void Halt() => halted = true;

    /// <summary>Runs the handlers; returns <see langword="false"/> when one threw. Handlers get
    /// <paramref name="cancellationToken"/>, or the session's end when it is <see langword="null"/>.</summary>
    public async ValueTask<bool> DispatchAsync(SocketIoEvent @event, SocketHandle socket, JToken? message = null, string? channel = null, Exception? exception = null,
        CancellationToken? cancellationToken = null)
    {
        var handlers = registry.For(@event);
        if (handlers.Count == 0)
        {
            return true;
        }

        IReadOnlyList<string>? socketChannels = null;
        using var activity = SocketIoActivitySource.Source.HasListeners()
            ? SocketIoActivitySource.StartEvent(SocketIoEventNames.TagValue(@event), socket.SessionId, socket.Transport, channel, channel is null ? socket.Session.GetChannels() : null)
            : null;
        await using var scope = scopes.CreateAsyncScope();
        var invocation = new EventInvocation
        {
            Event = @event,
            Socket = socket,
            Services = scope.ServiceProvider,
            Message = message,
            Channel = channel,
            Exception = exception,
            CancellationToken = cancellationToken ?? socket.Session.EndedToken,
        };

        foreach (var handler in handlers)
        {
            if (handler.Channel is not null)
            {
                socketChannels ??= socket.Session.GetChannels();
            }

            if (!handler.Applies(invocation, socketChannels ?? []))
            {
                continue;
            }

            if (halted)
            {
                LogHandlerSkipped(handler.Name, socket.SessionId);
                return true;
            }

            try
            {
                if (handler.Authorization is not null && !await authorizer.IsAllowedAsync(handler, socket, channel).ConfigureAwait(false))
                {
                    LogNotAuthorized(handler.Name, @event, socket.SessionId);
                    continue;
                }

                await handler.InvokeAsync(invocation).ConfigureAwait(false);
            }
            catch (Exception thrown)
            {
                if (thrown is OperationCanceledException && invocation.CancellationToken.IsCancellationRequested)
                {
                    LogHandlerCancelled(handler.Name, socket.SessionId);
                    return false;
                }

                if (activity is not null)
                {
                    SocketIoActivitySource.SetError(activity, thrown);
                }

                if (thrown is MessageBindingException)
                {
                    LogMessageNotBound(handler.Name, socket.SessionId, thrown.Message);
                }
                else
                {
                    LogHandlerFailed(thrown, handler.Name, @event, socket.SessionId);
                }

                if (@event != SocketIoEvent.Error)
                {
                    await DispatchAsync(SocketIoEvent.Error, socket, message, channel, thrown, cancellationToken).ConfigureAwait(false);
                }

                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the session may subscribe to <paramref name="channel"/>: every OnSubscribe handler with
    /// <c>[Authorize]</c> whose channel pattern matches it must authorize the session's user (private
    /// channels).</summary>
    public async ValueTask<bool> MaySubscribeAsync(SocketHandle socket, string channel)
    {
        foreach (var handler in registry.For(SocketIoEvent.Subscribe))
        {
            if (handler.Authorization is null || (handler.Channel is not null && !handler.Channel.IsMatch(channel)))
            {
                continue;
            }

            bool allowed;
            try
            {
                allowed = await authorizer.IsAllowedAsync(handler, socket, channel).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // An authorization handler that throws refuses (fail closed).
                LogHandlerFailed(exception, handler.Name, SocketIoEvent.Subscribe, socket.SessionId);
                allowed = false;
            }

            if (!allowed)
            {
                LogNotAuthorized(handler.Name, SocketIoEvent.Subscribe, socket.SessionId);
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(320, LogLevel.Debug, "The handler {Handler} of {Event} did not run for session {SessionId}: its user is not authorized ([Authorize]).")]
    private partial void LogNotAuthorized(string handler, SocketIoEvent @event, string sessionId);

    [LoggerMessage(300, LogLevel.Error, "The handler {Handler} of {Event} threw for session {SessionId}.")]
    private partial void LogHandlerFailed(Exception exception, string handler, SocketIoEvent @event, string sessionId);

    [LoggerMessage(302, LogLevel.Debug, "The handler {Handler} did not run for session {SessionId}: {Reason}")]
    private partial void LogMessageNotBound(string handler, string sessionId, string reason);

    [LoggerMessage(301, LogLevel.Debug, "The handler {Handler} of session {SessionId} was cancelled through its CancellationToken.")]
    private partial void LogHandlerCancelled(string handler, string sessionId);

    [LoggerMessage(303, LogLevel.Warning, "The handler {Handler} of session {SessionId} did not run: the host has stopped.")]
    private partial void LogHandlerSkipped(string handler, string sessionId);
}
