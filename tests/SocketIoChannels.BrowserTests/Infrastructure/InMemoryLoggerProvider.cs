using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>Keeps the test server's recent log lines in memory, so a failing test can show what the server did.</summary>
public sealed class InMemoryLoggerProvider : ILoggerProvider
{
    private const int Capacity = 20_000;
    private readonly ConcurrentQueue<(long Sequence, string Line)> lines = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long sequence;

    /// <summary>The sequence number the next line will get: take it before a test, pass it to <see cref="LinesSince"/>.</summary>
    public long Mark => Interlocked.Read(ref sequence);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IReadOnlyList<string> LinesSince(long mark, int max = 200)
    {
        var selected = lines.Where(l => l.Sequence >= mark).Select(l => l.Line).ToList();
        return selected.Count <= max ? selected : selected.Skip(selected.Count - max).Prepend($"... ({selected.Count - max} earlier lines left out)").ToList();
    }

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lines.Enqueue((Interlocked.Increment(ref sequence) - 1, line));
        while (lines.Count > Capacity && lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(InMemoryLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var shortCategory = category[(category.LastIndexOf('.') + 1)..];
            var line = $"{owner.clock.Elapsed.TotalSeconds,8:0.000} {logLevel,-11} {shortCategory}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += Environment.NewLine + "    " + exception.ToString().Replace("\n", "\n    ");
            }

            owner.Add(line);
        }
    }
}
