using System.Diagnostics;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>
/// The servers the orchestrator can start and which scenarios each can run. <c>ours</c>, <c>signalr</c> and
/// <c>raw</c> are this executable (<c>LoadTest server KIND</c>); <c>node06</c> (socket.io 0.6.18) and
/// <c>node48</c> (socket.io 4.8) are <c>node --expose-gc bench/node/KIND.js</c>, with the same control surface.
/// </summary>
internal static class ServerKinds
{
    public const string DefaultServers = "ours,signalr,raw,node06,node48";

    public const string DefaultScenarios = "fanout,idle,polling,echo,scaleout,fanout5,idle5,polling5";

    /// <summary>The order of servers in tables and charts.</summary>
    public static readonly string[] Order = ["ours", "signalr", "raw", "node06", "node48"];

    public static bool IsNode(string server) => server is "node06" or "node48";

    public static bool IsV5(string scenario) => scenario.EndsWith('5');

    /// <summary>Why <paramref name="server"/> does not run <paramref name="scenario"/>, or null when it does.
    /// <c>ours</c> runs the v5 scenarios: until it speaks Engine.IO 4 its client reports them as not supported.</summary>
    public static string? Skip(string scenario, string server) => (scenario, server) switch
    {
        ("polling5", "raw") => null, // the raw server's Engine.IO 4 polling (Servers/RawPollingServer)
        (_, "node06") when IsV5(scenario) => "socket.io 0.6.18 speaks Socket.IO 0.6 only",
        (_, "node06") when scenario != "polling" => "socket.io 0.6.18 speaks WebSocket hixie-75/76 only (not RFC 6455): only the polling scenario runs against it",
        (_, "node48") when !IsV5(scenario) => "socket.io 4.8 speaks Engine.IO 4 / Socket.IO 5 only: its scenarios are fanout5, idle5, polling5",
        (_, "signalr" or "raw") when IsV5(scenario) => "no Engine.IO 4 / Socket.IO 5 client for it: its rows in the v5 tables are its own protocol's runs of fanout/idle",
        _ => null,
    };

    /// <summary>How to start <paramref name="server"/> (<paramref name="extra"/>: more arguments, e.g. --redis).</summary>
    public static ProcessStartInfo StartInfo(string server, string extra = "")
    {
        if (!IsNode(server))
        {
            var dotnet = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "LoadTest"), ("server " + server + " " + extra).TrimEnd());
            Tuning.Apply(dotnet);
            return dotnet;
        }

        var directory = NodeDirectory() ?? throw new InvalidOperationException("bench/node (node06.js, node48.js) not found");
        var info = new ProcessStartInfo("node") { WorkingDirectory = directory };
        info.ArgumentList.Add("--expose-gc");
        info.ArgumentList.Add(Path.Combine(directory, server + ".js"));
        return info;
    }

    /// <summary>Why the node servers cannot start here (no node on PATH, bench/node or its node_modules missing),
    /// or null when they can. <paramref name="nodeVersion"/> is what <c>node --version</c> said, or "not found".</summary>
    public static string? NodeProblem(string nodeVersion)
    {
        if (nodeVersion == "not found")
        {
            return "node is not on PATH";
        }

        var directory = NodeDirectory();
        if (directory is null)
        {
            return "bench/node (node06.js, node48.js) not found above " + AppContext.BaseDirectory + " or the current directory";
        }

        return Directory.Exists(Path.Combine(directory, "node_modules")) ? null : $"{directory}/node_modules is missing: run `npm ci` there (bench/run.sh does)";
    }

    /// <summary>bench/node: under the current directory (bench/run.sh runs from the repository root), else above
    /// this executable (bench/LoadTest/bin/CONFIG/TFM/).</summary>
    private static string? NodeDirectory()
    {
        var fromCurrent = Path.Combine(Directory.GetCurrentDirectory(), "bench", "node");
        if (File.Exists(Path.Combine(fromCurrent, "node06.js")))
        {
            return fromCurrent;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "bench", "node");
            if (File.Exists(Path.Combine(candidate, "node06.js")))
            {
                return candidate;
            }
        }

        return null;
    }
}
