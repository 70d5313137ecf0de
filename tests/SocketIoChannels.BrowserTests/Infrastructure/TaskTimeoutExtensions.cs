using System.Runtime.CompilerServices;

namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>Every awaited task in these tests goes through one of these, so a hang fails fast with what was awaited.</summary>
public static class TaskTimeoutExtensions
{
    /// <summary>Default bound for one awaited step (a page load, a wait for a message, an HTTP call).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(task))] string expression = "")
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            return await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s awaiting: {expression}", e);
        }
    }

    public static async Task WithTimeout(this Task task, TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(task))] string expression = "")
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s awaiting: {expression}", e);
        }
    }

    public static Task<T> WithTimeout<T>(this ValueTask<T> task, TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(task))] string expression = "") =>
        task.AsTask().WithTimeout(timeout, expression);

    public static Task WithTimeout(this ValueTask task, TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(task))] string expression = "") =>
        task.AsTask().WithTimeout(timeout, expression);
}
