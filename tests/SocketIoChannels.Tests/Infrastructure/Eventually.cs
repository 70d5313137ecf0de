namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>Waits for a condition the system reaches asynchronously (a Redis subscription, a presence write).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TaskTimeouts.Default);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition().DefaultTimeout())
                {
                    return;
                }

                last = null;
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                last = exception;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Timed out waiting for: {what}." + (last is null ? "" : " Last error: " + last.Message), last);
    }
}
