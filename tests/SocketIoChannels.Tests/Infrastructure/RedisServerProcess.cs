using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>A private redis-server (the binary on PATH) on a free loopback port, without persistence, that a test
/// can stop and start again on the same port.</summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private Process? process;

    private RedisServerProcess(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string Address => "127.0.0.1:" + Port;

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("redis-server is not on PATH: install it (apt-get install redis-server) or run ./test.sh.", exception);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} on port {Port}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new TimeoutException($"redis-server did not listen on port {Port} within {TaskTimeouts.Default}.");
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync().DefaultTimeout();
        }

        process?.Dispose();
        process = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
