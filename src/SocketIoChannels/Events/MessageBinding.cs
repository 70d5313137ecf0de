using System.Linq.Expressions;
using System.Reflection;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Events;

/// <summary>How a handler's message parameter (OnMessage) or event argument parameter (OnEvent) is bound, as an
/// expression over the <see cref="EventInvocation"/> for <see cref="HandlerInvoker"/>: the JSON token as is, its
/// text, or an object deserialized from it.</summary>
internal static class MessageBinding
{
    private const BindingFlags Flags = BindingFlags.NonPublic | BindingFlags.Static;

    /// <summary>The OnMessage message parameter: the message (for a Socket.IO 5 client, the first argument).</summary>
    public static Expression For(Type type, ParameterExpression invocation)
    {
        if (type == typeof(JToken[]))
        {
            return Expression.Property(invocation, nameof(EventInvocation.AllArgs));
        }

        return ForToken(type, Expression.Property(invocation, nameof(EventInvocation.Message)), invocation, -1);
    }

    /// <summary>An OnEvent parameter bound to the argument at <paramref name="position"/> (or, for
    /// <c>JToken[]</c>, to all of them).</summary>
    public static Expression ForArgument(Type type, ParameterExpression invocation, int position)
    {
        if (type == typeof(JToken[]))
        {
            return Expression.Property(invocation, nameof(EventInvocation.AllArgs));
        }

        var token = Expression.Call(invocation, typeof(EventInvocation).GetMethod(nameof(EventInvocation.Arg))!, Expression.Constant(position));
        return ForToken(type, token, invocation, position);
    }

    private static Expression ForToken(Type type, Expression token, ParameterExpression invocation, int position)
    {
        if (type == typeof(string))
        {
            return Expression.Call(typeof(MessageBinding).GetMethod(nameof(AsString), Flags)!, token);
        }

        if (type == typeof(JToken) || type == typeof(object))
        {
            return token;
        }

        var method = type.IsAssignableFrom(typeof(JValue)) ? nameof(As) : nameof(Deserialize);
        return Expression.Call(typeof(MessageBinding).GetMethod(method, Flags)!.MakeGenericMethod(type), token, invocation, Expression.Constant(position));
    }

    /// <summary>A string as is; any other JSON as its text.</summary>
    private static string? AsString(JToken? token) => token switch
    {
        JValue { Type: JTokenType.String } value => (string)value.Value!,
        null => null,
        _ => token.ToString(Newtonsoft.Json.Formatting.None),
    };

    /// <summary>The token itself, for a parameter that a <see cref="JValue"/> fits (JValue, or an interface it
    /// implements).</summary>
    private static T? As<T>(JToken? token, EventInvocation invocation, int position)
        where T : class =>
        token switch
        {
            null => null,
            T fits => fits,
            _ => throw new MessageBindingException(
                $"{What(invocation, position)} could not be converted to {typeof(T).Name} for the handler {Handler(invocation)}: it is a JSON {token.Type}."),
        };

    private static T? Deserialize<T>(JToken? token, EventInvocation invocation, int position)
    {
        try
        {
            return token?.ToObject(typeof(T)) is { } value ? (T)value : default;
        }
        catch (Exception exception) when (exception is Newtonsoft.Json.JsonException or ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new MessageBindingException(
                $"{What(invocation, position)} could not be converted to {typeof(T).Name} for the handler {Handler(invocation)}: {exception.Message}", exception);
        }
    }

    private static string What(EventInvocation invocation, int position) =>
        position < 0 ? "The message" : $"The argument {position + 1} of the event \"{invocation.EventName}\"";

    private static string Handler(EventInvocation invocation) =>
        invocation.Event == SocketIoEvent.Event ? "OnEvent(\"" + invocation.EventName + "\")" : invocation.Event.ToString();
}
