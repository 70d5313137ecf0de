using System.Linq.Expressions;
using System.Reflection;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Events;

/// <summary>How an OnMessage handler's message parameter is bound, as an expression over the
/// <see cref="EventInvocation"/> for <see cref="HandlerInvoker"/>: the JSON token as is, its text, or an object
/// deserialized from it.</summary>
internal static class MessageBinding
{
    private const BindingFlags Flags = BindingFlags.NonPublic | BindingFlags.Static;

    public static Expression For(Type type, ParameterExpression invocation)
    {
        if (type == typeof(string))
        {
            return Expression.Call(typeof(MessageBinding).GetMethod(nameof(AsString), Flags)!, invocation);
        }

        var message = Expression.Property(invocation, nameof(EventInvocation.Message));
        if (type == typeof(JToken) || type == typeof(object))
        {
            return message;
        }

        var method = type.IsAssignableFrom(typeof(JValue)) ? nameof(As) : nameof(Deserialize);
        return Expression.Call(typeof(MessageBinding).GetMethod(method, Flags)!.MakeGenericMethod(type), invocation);
    }

    /// <summary>A string message as is; any other JSON as its text.</summary>
    private static string? AsString(EventInvocation invocation) => invocation.Message switch
    {
        JValue { Type: JTokenType.String } value => (string)value.Value!,
        null => null,
        var token => token.ToString(Newtonsoft.Json.Formatting.None),
    };

    /// <summary>The token itself, for a parameter that a <see cref="JValue"/> fits (JValue, or an interface it
    /// implements).</summary>
    private static T? As<T>(EventInvocation invocation)
        where T : class =>
        invocation.Message switch
        {
            null => null,
            T fits => fits,
            var token => throw new MessageBindingException(
                $"The message could not be converted to {typeof(T).Name} for the handler {invocation.Event}: it is a JSON {token.Type}."),
        };

    private static T? Deserialize<T>(EventInvocation invocation)
    {
        try
        {
            return invocation.Message?.ToObject(typeof(T)) is { } value ? (T)value : default;
        }
        catch (Exception exception) when (exception is Newtonsoft.Json.JsonException or ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new MessageBindingException(
                $"The message could not be converted to {typeof(T).Name} for the handler {invocation.Event}: {exception.Message}", exception);
        }
    }
}
