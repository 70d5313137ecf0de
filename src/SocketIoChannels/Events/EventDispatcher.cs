using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

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
    private readonly ILogger<EventDispatcher> logger;
    private volatile bool halted;

    public EventDispatcher(HandlerRegistry registry, IServiceScopeFactory scopes, ILogger<EventDispatcher> logger)
    {
        this.registry = registry;
        this.scopes = scopes;
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
                await handler.InvokeAsync(invocation).ConfigureAwait(false);
            }
            catch (Exception thrown)
            {
                if (thrown is OperationCanceledException && invocation.CancellationToken.IsCancellationRequested)
                {
                    LogHandlerCancelled(handler.Name, socket.SessionId);
                    return false;
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

    [LoggerMessage(300, LogLevel.Error, "The handler {Handler} of {Event} threw for session {SessionId}.")]
    private partial void LogHandlerFailed(Exception exception, string handler, SocketIoEvent @event, string sessionId);

    [LoggerMessage(302, LogLevel.Debug, "The handler {Handler} did not run for session {SessionId}: {Reason}")]
    private partial void LogMessageNotBound(string handler, string sessionId, string reason);

    [LoggerMessage(301, LogLevel.Debug, "The handler {Handler} of session {SessionId} was cancelled through its CancellationToken.")]
    private partial void LogHandlerCancelled(string handler, string sessionId);

    [LoggerMessage(303, LogLevel.Warning, "The handler {Handler} of session {SessionId} did not run: the host has stopped.")]
    private partial void LogHandlerSkipped(string handler, string sessionId);
}
