using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// Keeps the log entries of a test server: tests assert on <see cref="Entries"/> (category, level, event id), and a
/// failing browser test prints the lines since a <see cref="Mark"/>. One set for both test projects:
/// SocketIoChannels.BrowserTests compiles this file too (linked).
/// </summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly int? capacity;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long sequence;

    /// <param name="capacity">The most entries kept, the oldest dropped first (a long-lived shared server); by
    /// default every entry is kept.</param>
    public LogCollector(int? capacity = null)
    {
        this.capacity = capacity;
    }

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <summary>The sequence number the next entry will get: take it before a step, pass it to <see cref="LinesSince"/>.</summary>
    public long Mark => Interlocked.Read(ref sequence);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IEnumerable<LogEntry> Where(Func<LogEntry, bool> predicate) => Entries.Where(predicate);

    /// <summary>The entries from <paramref name="mark"/> on as text lines, the last <paramref name="max"/> of them.</summary>
    public IReadOnlyList<string> LinesSince(long mark, int max = 200)
    {
        var selected = Entries.Where(e => e.Sequence >= mark).Select(e => e.ToLine()).ToList();
        return selected.Count <= max ? selected : selected.Skip(selected.Count - max).Prepend($"... ({selected.Count - max} earlier lines left out)").ToList();
    }

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        Entries.Enqueue(entry with { Sequence = Interlocked.Increment(ref sequence) - 1, Elapsed = clock.Elapsed });
        while (capacity is { } limit && Entries.Count > limit && Entries.TryDequeue(out _))
        {
        }
    }

    public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
    {
        /// <summary>The entry's position in its collector (see <see cref="Mark"/>).</summary>
        public long Sequence { get; init; }

        /// <summary>When it was logged, from the collector's creation.</summary>
        public TimeSpan Elapsed { get; init; }

        /// <summary>One line: seconds, level, the category's last part, the message, then the exception indented.</summary>
        public string ToLine()
        {
            var line = $"{Elapsed.TotalSeconds,8:0.000} {Level,-11} {Category[(Category.LastIndexOf('.') + 1)..]}: {Message}";
            return Exception is null ? line : line + Environment.NewLine + "    " + Exception.ToString().Replace("\n", "\n    ", StringComparison.Ordinal);
        }
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
