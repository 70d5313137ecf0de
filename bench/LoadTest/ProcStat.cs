using System.Globalization;

namespace SocketIoChannels.LoadTest;

/// <summary>CPU time and memory of a process, read from /proc.</summary>
internal static class ProcStat
{
    private const double ClockTicksPerSecond = 100.0; // sysconf(_SC_CLK_TCK) on Linux x64

    /// <summary>User + system CPU seconds of a process so far (/proc/PID/stat fields 14 and 15).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
    }

    /// <summary>Resident set size of this process in bytes (/proc/self/status VmRSS).</summary>
    public static long SelfRssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
