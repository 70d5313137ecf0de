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
    private static readonly MethodInfo KeepTaskResultMethod = typeof(HandlerInvoker).GetMethod(nameof(KeepTaskResult), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo KeepValueTaskResultMethod = typeof(HandlerInvoker).GetMethod(nameof(KeepValueTaskResult), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo SetResultMethod = typeof(EventInvocation).GetMethod(nameof(EventInvocation.SetResult))!;

    /// <summary>The parameter every argument expression reads from.</summary>
    public static ParameterExpression Invocation { get; } = Expression.Parameter(typeof(EventInvocation), "invocation");

    /// <summary>Builds the delegate. <paramref name="arguments"/> are expressions over <see cref="Invocation"/>, one
    /// per parameter of <paramref name="method"/>; the delegate's first argument is the handler instance
    /// (<see langword="null"/> for a static method). With <paramref name="keepResult"/> a return value (or the result
    /// of a <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>) is kept in the invocation (<see cref="EventInvocation.SetResult"/>):
    /// it answers a Socket.IO 5 client's acknowledgement.</summary>
    public static Func<object?, EventInvocation, ValueTask> Compile(MethodInfo method, IReadOnlyList<Expression> arguments, bool keepResult = false)
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
            body = keepResult
                ? Expression.Call(KeepValueTaskResultMethod.MakeGenericMethod(returnType.GetGenericArguments()[0]), call, Invocation)
                : Expression.Call(FromValueTaskMethod.MakeGenericMethod(returnType.GetGenericArguments()[0]), call);
        }
        else if (keepResult && returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            body = Expression.Call(KeepTaskResultMethod.MakeGenericMethod(returnType.GetGenericArguments()[0]), call, Invocation);
        }
        else if (typeof(Task).IsAssignableFrom(returnType))
        {
            body = Expression.Call(FromTaskMethod, ConvertTo(call, typeof(Task)));
        }
        else
        {
            // A plain return value (OnMessage and OnEvent only): kept, boxed once, for the acknowledgement.
            body = Expression.Block(Expression.Call(Invocation, SetResultMethod, ConvertTo(call, typeof(object))), Expression.Default(typeof(ValueTask)));
        }

        return Expression.Lambda<Func<object?, EventInvocation, ValueTask>>(body, method.Name, [target, Invocation]).Compile();
    }

    private static Expression ConvertTo(Expression expression, Type type) =>
        expression.Type == type ? expression : Expression.Convert(expression, type);

    private static ValueTask FromTask(Task? task) => task is null ? default : new ValueTask(task);

    private static async ValueTask FromValueTask<T>(ValueTask<T> task) => await task.ConfigureAwait(false);

    private static async ValueTask KeepTaskResult<T>(Task<T>? task, EventInvocation invocation)
    {
        if (task is not null)
        {
            invocation.SetResult(await task.ConfigureAwait(false));
        }
    }

    private static async ValueTask KeepValueTaskResult<T>(ValueTask<T> task, EventInvocation invocation) =>
        invocation.SetResult(await task.ConfigureAwait(false));
}
