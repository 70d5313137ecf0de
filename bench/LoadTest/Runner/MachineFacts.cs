using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>What the report says about the machine and runtime.</summary>
internal sealed class MachineFacts
{
    public int Cores { get; init; }

    public string Cpu { get; init; } = string.Empty;

    public double MemoryGb { get; init; }

    public string Runtime { get; init; } = string.Empty;

    public string Os { get; init; } = string.Empty;

    public string Gc { get; init; } = string.Empty;

    public string Commit { get; init; } = string.Empty;

    public string LoadBefore { get; init; } = string.Empty;

    public string LoadAfter { get; set; } = string.Empty;

    public long OpenFiles { get; init; }

    /// <summary>The Node.js version the node servers run on (<c>node --version</c>), or "not found".</summary>
    public string Node { get; init; } = string.Empty;

    public static MachineFacts Read() => new()
    {
        Cores = Environment.ProcessorCount,
        Cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown",
        MemoryGb = ReadMemTotalKb() / 1048576.0,
        Runtime = RuntimeInformation.FrameworkDescription,
        Os = RuntimeInformation.OSDescription,
        Gc = (GCSettings.IsServerGC ? "Server" : "Workstation") + (GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : string.Empty),
        Commit = Output("git", "rev-parse --short HEAD") ?? "unknown",
        Node = Output("node", "--version") ?? "not found",
        LoadBefore = LoadAverage(),
        OpenFiles = OpenFileLimit(),
    };

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The soft open-file limit of this process (what <c>ulimit -n</c> says), from /proc/self/limits.</summary>
    public static long OpenFileLimit()
    {
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : long.MaxValue;
    }

    private static long ReadMemTotalKb()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line[9..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string? Output(string program, string arguments)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            var text = process!.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
