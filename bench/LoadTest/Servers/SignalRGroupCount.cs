using System.Collections.Concurrent;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>How many connections joined the bench group (SignalR does not expose group sizes).</summary>
internal sealed class SignalRGroupCount
{
    private readonly ConcurrentDictionary<string, byte> members = new();

    public int Count => members.Count;

    public void Joined(string connectionId) => members.TryAdd(connectionId, 0);

    public void Left(string connectionId) => members.TryRemove(connectionId, out _);
}
