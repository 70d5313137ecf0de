using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>One smoke test with the real socket.io-client 4.8 in Node (npm, installed in
/// tests/SocketIoChannels.BrowserTests by ../../test.sh or 'npm ci' there): the default transports, so it connects
/// over polling and upgrades to a WebSocket, sends a message and gets the handler's answer. The full client suites
/// live in SocketIoChannels.BrowserTests.</summary>
public sealed class NodeClientSmokeTests
{
    private const string Script = """
        const { io } = require(process.argv[1]);
        const socket = io(process.argv[2], { reconnection: false, auth: { token: "t" } });
        const fail = (why) => { console.log("fail " + why); process.exit(2); };
        setTimeout(() => fail("timeout"), 15000);
        socket.on("connect_error", (e) => fail("connect_error " + e.message));
        socket.on("connect", () => {
          console.log("connected " + socket.id);
          const send = () => socket.send("hello from node");
          if (socket.io.engine.transport.name === "websocket") send(); else socket.io.engine.once("upgrade", send);
        });
        socket.on("message", (m) => {
          console.log("message " + JSON.stringify(m) + " over " + socket.io.engine.transport.name);
          socket.disconnect();
          process.exit(0);
        });
        """;

    [Fact]
    public async Task SocketIoClient48ConnectsUpgradesAndExchangesAMessage()
    {
        var client = FindClient();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());

        var output = await RunNodeAsync(client, app.Address.ToString());

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 2, "node printed: " + output);
        Assert.StartsWith("connected ", lines[0], StringComparison.Ordinal);
        Assert.Equal("message \"hello from node\" over websocket", lines[1]);
        var socketId = lines[0]["connected ".Length..];
        await app.Services.GetRequiredService<EventRecorder>().WaitForAsync(socketId, e => e.Contains("message:\"hello from node\"") && e.Contains("disconnect"));
    }

    private const string PollingScript = """
        const { io } = require(process.argv[1]);
        const socket = io(process.argv[2], { reconnection: false, transports: ["polling"] });
        const got = [];
        setTimeout(() => { console.log("timeout " + JSON.stringify(got)); process.exit(2); }, 20000);
        socket.on("connect", () => console.log("connected " + socket.id));
        socket.on("message", (m) => {
          got.push(m);
          if (got.length === 300) { console.log("got " + JSON.stringify(got)); socket.disconnect(); process.exit(0); }
        });
        """;

    [Fact]
    public async Task SocketIoClient48OnPollingGetsEveryMessageOnceAndInOrder()
    {
        var client = FindClient();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-e", PollingScript, client, app.Address.ToString()])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var connected = await process.StandardOutput.ReadLineAsync().DefaultTimeout();
            Assert.StartsWith("connected ", connected, StringComparison.Ordinal);
            var socketId = connected!["connected ".Length..];
            for (var i = 0; i < 300; i++)
            {
                app.Broadcaster.Send(socketId, i);
                if (i % 20 == 0)
                {
                    await Task.Delay(2); // many small polls in a row
                }
            }

            var result = await process.StandardOutput.ReadLineAsync().WithTimeout(TimeSpan.FromSeconds(30));
            Assert.Equal("got [" + string.Join(",", Enumerable.Range(0, 300)) + "]", result);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<string> RunNodeAsync(string client, string url)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(client);
        start.ArgumentList.Add(url);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WithTimeout(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        Assert.True(process.ExitCode == 0, $"node exited with {process.ExitCode}: {await output} {await error}");
        return await output;
    }

    /// <summary>The socket.io-client package folder (tests fail, never skip, when it is missing).</summary>
    private static string FindClient()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "SocketIoChannels.BrowserTests", "node_modules", "socket.io-client");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("socket.io-client was not found: run ./test.sh, or 'npm ci' in tests/SocketIoChannels.BrowserTests.");
    }
}
