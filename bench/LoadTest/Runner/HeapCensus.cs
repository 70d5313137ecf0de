using System.Globalization;
using Microsoft.Diagnostics.Runtime;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>
/// <c>LoadTest heap PID [N]</c>: attaches to a running server (ClrMD, process suspended while it reads) and prints
/// the live objects by type, largest first, with bytes per connection when N connections are open. The profiling
/// aid behind the idle-memory work.
/// </summary>
internal static class HeapCensus
{
    public static int Run(string[] args)
    {
        var pid = int.Parse(args[0], CultureInfo.InvariantCulture);
        var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        using var target = DataTarget.AttachToProcess(pid, suspend: true);
        var clr = target.ClrVersions[0];
        using var runtime = clr.CreateRuntime(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libmscordaccore.so"), ignoreMismatch: true);
        var heap = runtime.Heap;
        var live = new HashSet<ulong>();
        var stack = new Stack<ulong>();
        // CENSUS_DETAIL=TypeName: also print that type's objects by size and by the type that first referenced them.
        var detail = Environment.GetEnvironmentVariable("CENSUS_DETAIL");
        var parents = new Dictionary<ulong, string>();
        foreach (var root in heap.EnumerateRoots())
        {
            stack.Push(root.Object.Address);
        }

        while (stack.Count > 0)
        {
            var address = stack.Pop();
            if (address == 0 || !live.Add(address))
            {
                continue;
            }

            var obj = heap.GetObject(address);
            if (!obj.IsValid)
            {
                continue;
            }

            foreach (var reference in obj.EnumerateReferenceAddresses())
            {
                if (detail is not null && !live.Contains(reference))
                {
                    parents.TryAdd(reference, obj.Type?.Name ?? "?");
                }

                stack.Push(reference);
            }
        }

        var byType = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        foreach (var address in live)
        {
            var obj = heap.GetObject(address);
            if (!obj.IsValid || obj.Type is null)
            {
                continue;
            }

            var name = obj.Type.Name ?? "?";
            var (count, bytes) = byType.GetValueOrDefault(name);
            byType[name] = (count + 1, bytes + (long)obj.Size);
        }

        var total = byType.Values.Sum(v => v.Bytes);
        Console.WriteLine($"live objects: {live.Count:N0}, {total / 1024.0:N0} KB, {total / (double)connections:N0} bytes per connection ({connections:N0})");
        foreach (var (name, (count, bytes)) in byType.OrderByDescending(kv => kv.Value.Bytes).Take(int.Parse(args.Length > 2 ? args[2] : "60", CultureInfo.InvariantCulture)))
        {
            Console.WriteLine($"{bytes / (double)connections,9:N1} B/conn {count / (double)connections,6:N2}/conn {bytes,12:N0} B  {name}");
        }

        if (detail is not null)
        {
            var matches = live.Select(heap.GetObject).Where(o => o.IsValid && o.Type?.Name == detail).ToList();
            Console.WriteLine($"{detail}: by size");
            foreach (var g in matches.GroupBy(o => o.Size).OrderByDescending(g => (long)g.Key * g.Count()).Take(15))
            {
                Console.WriteLine($"  {g.Key,8} B x {g.Count(),8:N0}");
            }

            Console.WriteLine($"{detail}: by referencing type and size");
            foreach (var g in matches.GroupBy(o => (Parent: parents.GetValueOrDefault(o.Address, "root"), o.Size)).OrderByDescending(g => (long)g.Key.Size * g.Count()).Take(15))
            {
                Console.WriteLine($"  {g.Key.Size,8} B x {g.Count(),8:N0}  from {g.Key.Parent}");
            }
        }

        return 0;
    }
}
