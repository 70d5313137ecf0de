using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Events;

/// <summary>One handler method bound to one event, with its channel pattern and its invoker (parameter binding
/// compiled once, see <see cref="HandlerInvoker"/>), checked at startup.</summary>
internal sealed class HandlerMethod
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Func<object?, EventInvocation, ValueTask> invoker;
    private readonly Type? exceptionType;
    private readonly ObjectFactory? factory;
    private readonly bool targetIsService;

    private HandlerMethod(SocketIoEvent @event, MethodInfo method, Regex? channel, Func<object?, EventInvocation, ValueTask> invoker, Type? exceptionType,
        IServiceProviderIsService? isService, bool bindsServices, string nsp, string? eventName)
    {
        Event = @event;
        Namespace = nsp;
        EventName = eventName;
        Method = method;
        Channel = channel;
        this.invoker = invoker;
        this.exceptionType = exceptionType;
        Authorization = HandlerAuthorization.For(method);
        if (!method.IsStatic)
        {
            factory = ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
            targetIsService = isService is null || isService.IsService(method.DeclaringType!);
        }

        UsesServices = bindsServices || targetIsService || (factory is not null && method.DeclaringType!.GetConstructors().Any(c => c.GetParameters().Length > 0));
    }

    /// <summary>Whether a call needs the event's DI scope: a service parameter, or a handler instance that is a
    /// registered service or whose constructor takes services. When no handler of an event does, the event runs
    /// without a scope.</summary>
    public bool UsesServices { get; }

    public SocketIoEvent Event { get; }

    /// <summary>The namespace the handler serves (its class's <see cref="SocketIoNamespaceAttribute"/>, or <c>/</c>).</summary>
    public string Namespace { get; }

    /// <summary>The event name of an <see cref="OnEventAttribute"/> handler; otherwise <see langword="null"/>.</summary>
    public string? EventName { get; }

    public MethodInfo Method { get; }

    public Regex? Channel { get; }

    /// <summary>The <c>[Authorize]</c> data of the method and its class, or <see langword="null"/>.</summary>
    public Microsoft.AspNetCore.Authorization.IAuthorizeData[]? Authorization { get; }

    public string Name => Method.DeclaringType!.Name + "." + Method.Name;

    /// <summary>Whether this handler runs for an event: channel pattern and exception type. Throws
    /// <see cref="RegexMatchTimeoutException"/> when the pattern does not finish matching a channel in time.</summary>
    public bool Applies(string? channel, Exception? exception, string[] socketChannels)
    {
        if (exceptionType is not null && !exceptionType.IsInstanceOfType(exception))
        {
            return false;
        }

        if (Channel is null)
        {
            return true; // docs/django-socketio.md port decision 1: unbound handlers fire for every session
        }

        if (Event is SocketIoEvent.Subscribe or SocketIoEvent.Unsubscribe)
        {
            return channel is not null && Channel.IsMatch(channel);
        }

        foreach (var socketChannel in socketChannels)
        {
            if (Channel.IsMatch(socketChannel))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Calls the method: the handler instance from the event's scope (registered, or created with its
    /// constructor's services), then the compiled invoker. Exceptions of the method come out unwrapped.</summary>
    public ValueTask InvokeAsync(EventInvocation invocation)
    {
        object? target = null;
        if (factory is not null)
        {
            target = (targetIsService ? invocation.Services.GetService(Method.DeclaringType!) : null) ?? factory(invocation.Services, null);
        }

        return invoker(target, invocation);
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

        var nsp = NamespaceOf(method.DeclaringType, name);
        var eventName = (attribute as OnEventAttribute)?.EventName;
        if (attribute.Event == SocketIoEvent.Event)
        {
            ValidateEventName(eventName, name);
        }

        var returnType = method.ReturnType;
        var acks = attribute.Event is SocketIoEvent.Message or SocketIoEvent.Event;
        if (!acks && returnType != typeof(void) && !typeof(Task).IsAssignableFrom(returnType) && returnType != typeof(ValueTask)
            && !(returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            throw new InvalidOperationException(
                $"The handler {name} returns {returnType.Name}; handlers return void, Task or ValueTask (only OnMessage and OnEvent handlers may return a value, their acknowledgement).");
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
                // \G anchors the match at the start of the channel name, as Python's re.match (docs/django-socketio.md port decision 2).
                regex = new Regex(@"\G(?:" + channel + ")", RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException exception)
            {
                throw new InvalidOperationException($"The channel pattern \"{channel}\" of the handler {name} is not a valid regular expression: {exception.Message}", exception);
            }
        }

        var parameters = method.GetParameters();
        var binders = new Expression[parameters.Length];
        var messageBound = false;
        var bindsServices = false;
        var channelBound = false;
        var argumentPosition = 0;
        Type? exceptionType = null;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var type = parameter.ParameterType;
            Expression? binder = null;
            if (type.IsByRef)
            {
                throw Unbindable(name, attribute.Event, parameter, "ref and out parameters are not supported");
            }

            var invocation = HandlerInvoker.Invocation;
            var session = Expression.Property(Expression.Property(invocation, nameof(EventInvocation.Socket)), nameof(SocketHandle.Session));
            if (type == typeof(ISocket))
            {
                binder = Expression.Property(invocation, nameof(EventInvocation.Socket));
            }
            else if (type == typeof(SocketIoRequest))
            {
                binder = Expression.Property(session, nameof(Sessions.Session.Request));
            }
            else if (type == typeof(IDictionary<string, object?>) || type == typeof(Dictionary<string, object?>))
            {
                binder = Expression.Property(session, nameof(Sessions.Session.Context));
            }
            else if (type == typeof(CancellationToken))
            {
                binder = Expression.Property(invocation, nameof(EventInvocation.CancellationToken));
            }
            else if (type == typeof(SocketIoAck) && acks)
            {
                binder = Expression.Property(invocation, nameof(EventInvocation.AckCallback));
            }
            else if (typeof(Exception).IsAssignableFrom(type) && attribute.Event == SocketIoEvent.Error && exceptionType is null)
            {
                exceptionType = type;
                binder = Expression.Property(invocation, nameof(EventInvocation.Exception));
            }
            else if (type == typeof(string) && attribute.Event is SocketIoEvent.Subscribe or SocketIoEvent.Unsubscribe && !channelBound)
            {
                channelBound = true;
                binder = Expression.Property(invocation, nameof(EventInvocation.Channel));
            }
            else if (attribute.Event == SocketIoEvent.Message && type == typeof(JToken[]))
            {
                binder = MessageBinding.For(type, invocation); // every argument; the message parameter stays free
            }
            else if (attribute.Event == SocketIoEvent.Message && !messageBound && IsMessageParameter(parameter, isService))
            {
                messageBound = true;
                binder = MessageBinding.For(type, invocation);
            }
            else if (attribute.Event == SocketIoEvent.Event && IsArgumentParameter(parameter, isService))
            {
                // By position among the argument parameters, as SignalR hub methods; JToken[] takes them all.
                binder = MessageBinding.ForArgument(type, invocation, type == typeof(JToken[]) ? 0 : argumentPosition++);
            }
            else if (isService is null || isService.IsService(type))
            {
                bindsServices = true;
                binder = Expression.Call(
                    typeof(ServiceProviderServiceExtensions), nameof(ServiceProviderServiceExtensions.GetRequiredService), [type],
                    Expression.Property(invocation, nameof(EventInvocation.Services)));
            }

            binders[i] = binder ?? throw Unbindable(name, attribute.Event, parameter, null);
        }

        return new HandlerMethod(attribute.Event, method, regex, HandlerInvoker.Compile(method, binders, keepResult: acks), exceptionType, isService, bindsServices,
            nsp, eventName);
    }

    /// <summary>The namespace a handler class serves, checked.</summary>
    public static string NamespaceOf(Type? type, string name)
    {
        var declared = type?.GetCustomAttribute<SocketIoNamespaceAttribute>(inherit: false)?.Name;
        if (declared is null)
        {
            return "/";
        }

        if (declared.Length == 0 || declared[0] != '/' || declared.Contains(',', StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The [SocketIoNamespace(\"{declared}\")] of the class of the handler {name} is not a namespace: it must start with '/' and contain no ','.");
        }

        return declared;
    }

    private static void ValidateEventName(string? eventName, string name)
    {
        if (string.IsNullOrEmpty(eventName))
        {
            throw new InvalidOperationException($"The [OnEvent] of the handler {name} has no event name.");
        }

        if (eventName == "message")
        {
            throw new InvalidOperationException(
                $"The handler {name} is [OnEvent(\"message\")]: the event \"message\" (socket.send) is the OnMessage event; use [OnMessage].");
        }

        if (eventName is "connect" or "connect_error" or "disconnect" or "disconnecting" or "newListener" or "removeListener")
        {
            throw new InvalidOperationException(
                $"The handler {name} is [OnEvent(\"{eventName}\")], a name socket.io reserves (clients cannot emit it); use [OnConnect] or [OnDisconnect] for the lifecycle.");
        }
    }

    /// <summary>Whether an OnEvent parameter is an event argument (not a service).</summary>
    private static bool IsArgumentParameter(ParameterInfo parameter, IServiceProviderIsService? isService)
    {
        var type = parameter.ParameterType;
        return type.IsValueType || type.IsArray || type.IsPrimitive || type.IsEnum || IsMessageParameter(parameter, isService);
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

    private static InvalidOperationException Unbindable(string name, SocketIoEvent @event, ParameterInfo parameter, string? reason)
    {
        var accepted = "ISocket, SocketIoRequest, IDictionary<string, object?> (the session context), CancellationToken (fires when the session ends)"
            + @event switch
            {
                SocketIoEvent.Message => ", the message (JToken, string, or any type deserialized from JSON; one per method; JToken[] for all the arguments of a Socket.IO 5 message), SocketIoAck",
                SocketIoEvent.Event => ", the event's arguments by position (JToken, string, byte[], or any type deserialized from JSON; JToken[] for all of them), SocketIoAck",
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
