using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// Every awaited task in a test gets a timeout, so a hang fails fast and names what was awaited. One set for both
/// test projects: SocketIoChannels.BrowserTests compiles this file too (linked), with a longer default for browser
/// steps (its <c>DefaultTestTimeout</c> assembly metadata).
/// </summary>
public static class TaskTimeouts
{
    /// <summary>The bound for one awaited step: 15 s, or the test assembly's <c>DefaultTestTimeout</c> metadata.</summary>
    public static readonly TimeSpan Default =
        typeof(TaskTimeouts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "DefaultTestTimeout")?.Value is { } value
            ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
            : TimeSpan.FromSeconds(15);

    public static Task DefaultTimeout(this Task task, [CallerArgumentExpression(nameof(task))] string expression = "") =>
        task.WithTimeout(null, expression);

    public static Task<T> DefaultTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string expression = "") =>
        task.WithTimeout(null, expression);

    public static Task DefaultTimeout(this ValueTask task, [CallerArgumentExpression(nameof(task))] string expression = "") =>
        task.AsTask().WithTimeout(null, expression);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, [CallerArgumentExpression(nameof(task))] string expression = "") =>
        task.AsTask().WithTimeout(null, expression);

    public static async Task WithTimeout(this Task task, TimeSpan? timeout = null, [CallerArgumentExpression(nameof(task))] string expression = "")
    {
        var limit = timeout ?? Default;
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s awaiting: {expression}", e);
        }
    }

    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan? timeout = null, [CallerArgumentExpression(nameof(task))] string expression = "")
    {
        var limit = timeout ?? Default;
        try
        {
            return await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s awaiting: {expression}", e);
        }
    }

    public static Task WithTimeout(this ValueTask task, TimeSpan? timeout = null, [CallerArgumentExpression(nameof(task))] string expression = "") =>
        task.AsTask().WithTimeout(timeout, expression);

    public static Task<T> WithTimeout<T>(this ValueTask<T> task, TimeSpan? timeout = null, [CallerArgumentExpression(nameof(task))] string expression = "") =>
        task.AsTask().WithTimeout(timeout, expression);
}
