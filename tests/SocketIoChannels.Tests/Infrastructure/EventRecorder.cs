using System.Collections.Concurrent;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>Records the events handlers saw, per session, so tests can assert their order.</summary>
public sealed class EventRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> events = new();
    private readonly SemaphoreSlim changed = new(0);

    public void Add(string sessionId, string entry)
    {
        events.GetOrAdd(sessionId, _ => new ConcurrentQueue<string>()).Enqueue(entry);
        changed.Release();
    }

    public IReadOnlyList<string> For(string sessionId) =>
        events.TryGetValue(sessionId, out var queue) ? [.. queue] : [];

    /// <summary>Waits until the session's events satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string sessionId, Func<IReadOnlyList<string>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TaskTimeouts.Default);
        while (true)
        {
            var current = For(sessionId);
            if (condition(current))
            {
                return current;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Session {sessionId} events never matched; they were: {string.Join(", ", current)}");
            }

            await changed.WaitAsync(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
        }
    }
}
