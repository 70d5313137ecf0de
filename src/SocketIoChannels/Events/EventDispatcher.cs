using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Diagnostics;

namespace SocketIoChannels.Events;

/// <summary>
/// Runs the handlers of one event for one session, in registration order, in one DI scope per event. A handler
/// that throws (or whose scoped services throw on disposal, or whose channel pattern times out) is logged, the
/// OnError handlers run, and the remaining handlers of that event are skipped; the exception never leaves the
/// session.
/// </summary>
internal sealed partial class EventDispatcher
{
    private readonly HandlerRegistry registry;
    private readonly IServiceScopeFactory scopes;
    private readonly IServiceProvider root;
    private readonly EventAuthorizer authorizer;
    private readonly ILogger<EventDispatcher> logger;
    private volatile bool halted;

    public EventDispatcher(HandlerRegistry registry, IServiceScopeFactory scopes, IServiceProvider root, EventAuthorizer authorizer, ILogger<EventDispatcher> logger)
    {
        this.root = root;
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

    /// <summary>Runs the handlers of the socket's namespace; returns <see langword="false"/> when one threw (or
    /// OnConnect refused the connection: then <see cref="SocketHandle.Refusal"/> is set and OnError does not run).
    /// Handlers get <paramref name="cancellationToken"/>, or the session's end when it is <see langword="null"/>. A
    /// handler's return value answers <paramref name="ack"/> unless a handler answered it already.</summary>
    public async ValueTask<bool> DispatchAsync(SocketIoEvent @event, SocketHandle socket, JToken? message = null, string? channel = null, Exception? exception = null,
        CancellationToken? cancellationToken = null, string? eventName = null, JToken[]? args = null, AckResponder? ack = null)
    {
        var nsp = socket.Session.Namespace;
        var handlers = @event == SocketIoEvent.Event ? registry.ForEvent(nsp, eventName!) : registry.For(@event, nsp);
        if (handlers.Count == 0)
        {
            return true;
        }

        using var activity = SocketIoActivitySource.Source.HasListeners()
            ? SocketIoActivitySource.StartEvent(SocketIoEventNames.TagValue(@event), socket.SessionId, socket.Transport, channel, channel is null ? socket.Session.GetChannels() : null)
            : null;

        // The invocation is made when the first handler that applies is about to run, and the DI scope when the
        // first that uses services is: an event no handler applies to (a channel-bound handler, another channel)
        // costs neither, one whose handlers need no service costs no scope.
        EventInvocation? invocation = null;
        AsyncServiceScope scope = default;
        var scoped = false;
        Exception? failure = null;
        var cancelled = false;
        var refused = false;
        try
        {
            string[]? socketChannels = null;
            foreach (var handler in handlers)
            {
                try
                {
                    if (handler.Channel is not null)
                    {
                        socketChannels ??= socket.Session.GetChannels();
                    }

                    if (!handler.Applies(channel, exception, socketChannels ?? []))
                    {
                        continue; // a pattern that times out on a channel throws: that counts as this handler failing
                    }

                    if (halted)
                    {
                        LogHandlerSkipped(handler.Name, socket.SessionId);
                        break;
                    }

                    if (handler.Authorization is not null && !await authorizer.IsAllowedAsync(handler, socket, channel).ConfigureAwait(false))
                    {
                        LogNotAuthorized(handler.Name, @event, socket.SessionId);
                        if (@event == SocketIoEvent.Connect && socket.Session.Protocol == Sessions.SessionProtocol.SocketIo5)
                        {
                            // socket.io refuses in a middleware; here [Authorize] on OnConnect refuses the CONNECT.
                            // (A 0.6 session has no refusal: the handler is only skipped, as before.)
                            socket.Refusal = new SocketIoConnectionRefusedException("Not authorized");
                            refused = true;
                            break;
                        }

                        continue;
                    }

                    invocation ??= new EventInvocation
                    {
                        Event = @event,
                        Socket = socket,
                        Services = root,
                        Message = message,
                        V5 = args is null && eventName is null && ack is null ? null : new V5Arguments(args, eventName, ack),
                        Channel = channel,
                        Exception = exception,
                        CancellationToken = cancellationToken ?? socket.Session.EndedToken,
                    };

                    if (handler.UsesServices && !scoped)
                    {
                        scope = scopes.CreateAsyncScope();
                        scoped = true;
                        invocation.Services = scope.ServiceProvider;
                    }

                    await handler.InvokeAsync(invocation).ConfigureAwait(false);
                    if (invocation.TakeResult(out var result) && ack is not null)
                    {
                        ack.TryAnswer([result]);
                    }
                }
                catch (SocketIoConnectionRefusedException refusal) when (@event == SocketIoEvent.Connect)
                {
                    LogConnectRefused(handler.Name, socket.SessionId, refusal.Message);
                    socket.Refusal = refusal;
                    refused = true;
                    break;
                }
                catch (Exception thrown)
                {
                    failure = thrown;
                    cancelled = thrown is OperationCanceledException && invocation is not null && invocation.CancellationToken.IsCancellationRequested;
                    if (cancelled)
                    {
                        LogHandlerCancelled(handler.Name, socket.SessionId);
                    }
                    else if (thrown is MessageBindingException)
                    {
                        LogMessageNotBound(handler.Name, socket.SessionId, thrown.Message);
                    }
                    else
                    {
                        LogHandlerFailed(thrown, handler.Name, @event, socket.SessionId);
                    }

                    break; // the remaining handlers of the event are skipped
                }
            }
        }
        finally
        {
            if (scoped)
            {
                try
                {
                    await scope.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception thrown)
                {
                    // A scoped service's Dispose threw: the event failed, after its handlers ran.
                    LogScopeDisposeFailed(thrown, @event, socket.SessionId);
                    failure ??= thrown;
                }
            }
        }

        if (failure is null)
        {
            return !refused;
        }

        if (cancelled)
        {
            return false; // the handler gave up as its token asked: no error
        }

        if (activity is not null)
        {
            SocketIoActivitySource.SetError(activity, failure);
        }

        if (@event != SocketIoEvent.Error)
        {
            await DispatchAsync(SocketIoEvent.Error, socket, message, channel, failure, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Whether the session may subscribe to <paramref name="channel"/>: every OnSubscribe handler with
    /// <c>[Authorize]</c> whose channel pattern matches it must authorize the session's user (private
    /// channels).</summary>
    public async ValueTask<bool> MaySubscribeAsync(SocketHandle socket, string channel)
    {
        if (!CanMatchChannel(socket, channel))
        {
            return false;
        }

        foreach (var handler in registry.For(SocketIoEvent.Subscribe, socket.Session.Namespace))
        {
            if (handler.Authorization is null)
            {
                continue;
            }

            bool allowed;
            try
            {
                allowed = (handler.Channel is not null && !handler.Channel.IsMatch(channel))
                    || await authorizer.IsAllowedAsync(handler, socket, channel).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // An authorization handler (or a channel pattern) that throws refuses (fail closed).
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

    /// <summary>Whether every channel pattern of the handlers can be matched against <paramref name="channel"/>
    /// within the match timeout. A name chosen to make a pattern backtrack for long is refused before the session
    /// joins it, so that no later event of the session pays for it again.</summary>
    private bool CanMatchChannel(SocketHandle socket, string channel)
    {
        foreach (var handler in registry.WithDistinctChannelPatterns)
        {
            try
            {
                handler.Channel!.IsMatch(channel);
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                LogChannelNameTimedOut(socket.SessionId, channel.Length, handler.Name, handler.Channel!.MatchTimeout.TotalSeconds);
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

    [LoggerMessage(304, LogLevel.Error, "Disposing the services of the {Event} handlers of session {SessionId} threw; the event counts as failed.")]
    private partial void LogScopeDisposeFailed(Exception exception, SocketIoEvent @event, string sessionId);

    [LoggerMessage(305, LogLevel.Warning, "Session {SessionId} may not subscribe to a channel whose name ({Length} characters) did not finish matching the channel pattern of the handler {Handler} within {Seconds} s.")]
    private partial void LogChannelNameTimedOut(string sessionId, int length, string handler, double seconds);

    [LoggerMessage(306, LogLevel.Debug, "The handler {Handler} refused the connection of socket {SessionId}: {Reason}")]
    private partial void LogConnectRefused(string handler, string sessionId, string reason);

    [LoggerMessage(303, LogLevel.Warning, "The handler {Handler} of session {SessionId} did not run: the host has stopped.")]
    private partial void LogHandlerSkipped(string handler, string sessionId);
}
