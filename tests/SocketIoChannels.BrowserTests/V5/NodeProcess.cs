using System.Diagnostics;

namespace SocketIoChannels.BrowserTests.V5;

/// <summary>Stops the node processes the V5 tests start (the client driver, the reference server).</summary>
internal static class NodeProcess
{
    /// <summary>Closes the process's stdin (each script exits on it), waits up to 5 s, then kills it.</summary>
    public static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.StandardInput.Close();
                await process.WaitForExitAsync().WithTimeout(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            process.Kill(entireProcessTree: true);
        }
        finally
        {
            process.Dispose();
        }
    }
}
