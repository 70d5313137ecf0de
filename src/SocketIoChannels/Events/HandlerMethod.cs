using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Events;

/// <summary>One handler method bound to one event, with its channel pattern and parameter binders, checked at
/// startup.</summary>
internal sealed class HandlerMethod
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Func<EventInvocation, object?>[] binders;
    private readonly Type? exceptionType;
    private readonly ObjectFactory? factory;

    private HandlerMethod(SocketIoEvent @event, MethodInfo method, Regex? channel, Func<EventInvocation, object?>[] binders, Type? exceptionType)
    {
        Event = @event;
        Method = method;
        Channel = channel;
        this.binders = binders;
        this.exceptionType = exceptionType;
        if (!method.IsStatic)
        {
            factory = ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
        }
    }

    public SocketIoEvent Event { get; }

    public MethodInfo Method { get; }

    public Regex? Channel { get; }

    public string Name => Method.DeclaringType!.Name + "." + Method.Name;

    /// <summary>Whether this handler runs for the invocation: channel pattern and exception type.</summary>
    public bool Applies(EventInvocation invocation, IReadOnlyList<string> socketChannels)
    {
        if (exceptionType is not null && !exceptionType.IsInstanceOfType(invocation.Exception))
        {
            return false;
        }

        if (Channel is null)
        {
            return true; // port decision 1: unbound handlers fire for every session
        }

        if (invocation.Event is SocketIoEvent.Subscribe or SocketIoEvent.Unsubscribe)
        {
            return invocation.Channel is not null && Channel.IsMatch(invocation.Channel);
        }

        foreach (var channel in socketChannels)
        {
            if (Channel.IsMatch(channel))
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask InvokeAsync(EventInvocation invocation)
    {
        var target = factory is null ? null : invocation.Services.GetService(Method.DeclaringType!) ?? factory(invocation.Services, null);
        var arguments = new object?[binders.Length];
        for (var i = 0; i < binders.Length; i++)
        {
            arguments[i] = binders[i](invocation);
        }

        object? result;
        try
        {
            result = Method.Invoke(target, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }

        switch (result)
        {
            case Task task:
                await task.ConfigureAwait(false);
                break;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Builds the handler of one attribute on one method, or throws naming the method and the problem.</summary>
    public static HandlerMethod Create(MethodInfo method, SocketIoEventAttribute attribute, IServiceProviderIsService? isService)
    {
        var name = $"{method.DeclaringType?.FullName}.{method.Name}";
        var channel = string.IsNullOrEmpty(attribute.Channel) ? null : attribute.Channel;
        if (attribute.Event == SocketIoEvent.Connect && channel is not null)
        {
            throw new InvalidOperationException(
                $"The OnConnect event does not support channels, so the handler {name} could not be registered: remove Channel \"{channel}\".");
        }

        if (method.IsGenericMethodDefinition)
        {
            throw new InvalidOperationException($"The handler {name} is generic; handler methods cannot be generic.");
        }

        if (method.DeclaringType is { IsAbstract: true } && !method.IsStatic)
        {
            throw new InvalidOperationException($"The handler {name} is an instance method of an abstract class; make the class concrete or the method static.");
        }

        var returnType = method.ReturnType;
        if (returnType != typeof(void) && !typeof(Task).IsAssignableFrom(returnType) && returnType != typeof(ValueTask)
            && !(returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            throw new InvalidOperationException($"The handler {name} returns {returnType.Name}; handlers return void, Task or ValueTask.");
        }

        if (returnType == typeof(void) && method.IsDefined(typeof(System.Runtime.CompilerServices.AsyncStateMachineAttribute), inherit: false))
        {
            // An exception thrown by an async void method after its first await cannot be caught: it ends the process.
            throw new InvalidOperationException(
                $"The handler {name} is async void; return Task or ValueTask instead, so its exceptions stay in its session and its session waits for it.");
        }

        Regex? regex = null;
        if (channel is not null)
        {
            try
            {
                // \G anchors the match at the start of the channel name, as Python's re.match (port decision 2).
                regex = new Regex(@"\G(?:" + channel + ")", RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException exception)
            {
                throw new InvalidOperationException($"The channel pattern \"{channel}\" of the handler {name} is not a valid regular expression: {exception.Message}", exception);
            }
        }

        var parameters = method.GetParameters();
        var binders = new Func<EventInvocation, object?>[parameters.Length];
        var messageBound = false;
        var channelBound = false;
        Type? exceptionType = null;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var type = parameter.ParameterType;
            Func<EventInvocation, object?>? binder = null;
            if (type.IsByRef)
            {
                throw Unbindable(name, attribute.Event, parameter, "ref and out parameters are not supported");
            }

            if (type == typeof(ISocket))
            {
                binder = static invocation => invocation.Socket;
            }
            else if (type == typeof(SocketIoRequest))
            {
                binder = static invocation => invocation.Socket.Session.Request;
            }
            else if (type == typeof(IDictionary<string, object?>) || type == typeof(Dictionary<string, object?>))
            {
                binder = static invocation => invocation.Socket.Session.Context;
            }
            else if (type == typeof(CancellationToken))
            {
                binder = static invocation => invocation.CancellationToken;
            }
            else if (typeof(Exception).IsAssignableFrom(type) && attribute.Event == SocketIoEvent.Error && exceptionType is null)
            {
                exceptionType = type;
                binder = static invocation => invocation.Exception;
            }
            else if (type == typeof(string) && attribute.Event is SocketIoEvent.Subscribe or SocketIoEvent.Unsubscribe && !channelBound)
            {
                channelBound = true;
                binder = static invocation => invocation.Channel;
            }
            else if (attribute.Event == SocketIoEvent.Message && !messageBound && IsMessageParameter(parameter, isService))
            {
                messageBound = true;
                binder = MessageBinder(type);
            }
            else if (isService is null || isService.IsService(type))
            {
                var serviceType = type;
                binder = invocation => invocation.Services.GetRequiredService(serviceType);
            }

            binders[i] = binder ?? throw Unbindable(name, attribute.Event, parameter, null);
        }

        return new HandlerMethod(attribute.Event, method, regex, binders, exceptionType);
    }

    private static bool IsMessageParameter(ParameterInfo parameter, IServiceProviderIsService? isService)
    {
        var type = parameter.ParameterType;
        if (type == typeof(string) || typeof(JToken).IsAssignableFrom(type) || type == typeof(object))
        {
            return true;
        }

        if (string.Equals(parameter.Name, "message", StringComparison.Ordinal))
        {
            return true;
        }

        return isService is not null && !isService.IsService(type);
    }

    private static Func<EventInvocation, object?> MessageBinder(Type type)
    {
        if (type == typeof(string))
        {
            return static invocation => invocation.Message switch
            {
                JValue { Type: JTokenType.String } value => (string)value.Value!,
                null => null,
                var token => token.ToString(Newtonsoft.Json.Formatting.None),
            };
        }

        if (type.IsAssignableFrom(typeof(JValue)) || type == typeof(JToken) || type == typeof(object))
        {
            return static invocation => invocation.Message;
        }

        return invocation =>
        {
            try
            {
                return invocation.Message?.ToObject(type);
            }
            catch (Exception exception) when (exception is Newtonsoft.Json.JsonException or ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                throw new MessageBindingException(
                    $"The message could not be converted to {type.Name} for the handler {invocation.Event}: {exception.Message}", exception);
            }
        };
    }

    private static InvalidOperationException Unbindable(string name, SocketIoEvent @event, ParameterInfo parameter, string? reason)
    {
        var accepted = "ISocket, SocketIoRequest, IDictionary<string, object?> (the session context), CancellationToken (fires when the session ends)"
            + @event switch
            {
                SocketIoEvent.Message => ", the message (JToken, string, or any type deserialized from JSON; one per method)",
                SocketIoEvent.Subscribe or SocketIoEvent.Unsubscribe => ", string (the channel)",
                SocketIoEvent.Error => ", Exception (or a subtype: the handler then runs only for exceptions of that type)",
                _ => string.Empty,
            }
            + " and services registered in the container";
        return new InvalidOperationException(
            $"The parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of the On{@event} handler {name} cannot be bound"
            + (reason is null ? string.Empty : ": " + reason)
            + $". An On{@event} handler accepts, by type and in any order: {accepted}.");
    }
}
