using System.Linq.Expressions;
using System.Reflection;

namespace SocketIoChannels.Events;

/// <summary>
/// Compiles, once at startup, a delegate that calls one handler method with its arguments bound from an
/// <see cref="EventInvocation"/> and returns its completion as a <see cref="ValueTask"/>: no reflection, no argument
/// array and no boxing per call (as SignalR does for hub methods).
/// </summary>
internal static class HandlerInvoker
{
    private static readonly MethodInfo FromTaskMethod = typeof(HandlerInvoker).GetMethod(nameof(FromTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo FromValueTaskMethod = typeof(HandlerInvoker).GetMethod(nameof(FromValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The parameter every argument expression reads from.</summary>
    public static ParameterExpression Invocation { get; } = Expression.Parameter(typeof(EventInvocation), "invocation");

    /// <summary>Builds the delegate. <paramref name="arguments"/> are expressions over <see cref="Invocation"/>, one
    /// per parameter of <paramref name="method"/>; the delegate's first argument is the handler instance
    /// (<see langword="null"/> for a static method).</summary>
    public static Func<object?, EventInvocation, ValueTask> Compile(MethodInfo method, IReadOnlyList<Expression> arguments)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var parameters = method.GetParameters();
        var converted = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            converted[i] = ConvertTo(arguments[i], parameters[i].ParameterType);
        }

        var call = method.IsStatic
            ? Expression.Call(method, converted)
            : Expression.Call(ConvertTo(target, method.DeclaringType!), method, converted);

        var returnType = method.ReturnType;
        Expression body;
        if (returnType == typeof(void))
        {
            body = Expression.Block(call, Expression.Default(typeof(ValueTask)));
        }
        else if (returnType == typeof(ValueTask))
        {
            body = call;
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            body = Expression.Call(FromValueTaskMethod.MakeGenericMethod(returnType.GetGenericArguments()[0]), call);
        }
        else
        {
            body = Expression.Call(FromTaskMethod, ConvertTo(call, typeof(Task)));
        }

        return Expression.Lambda<Func<object?, EventInvocation, ValueTask>>(body, method.Name, [target, Invocation]).Compile();
    }

    private static Expression ConvertTo(Expression expression, Type type) =>
        expression.Type == type ? expression : Expression.Convert(expression, type);

    private static ValueTask FromTask(Task? task) => task is null ? default : new ValueTask(task);

    private static async ValueTask FromValueTask<T>(ValueTask<T> task) => await task.ConfigureAwait(false);
}
