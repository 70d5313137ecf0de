using System.Collections.Concurrent;
using System.Text;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>A backplane node in a test: its id, its backplane, and every message the backplane handed it.</summary>
public sealed class BackplaneNode(string id, ISocketIoBackplane backplane) : ISocketIoBackplaneReceiver
{
    public string Id { get; } = id;

    public ISocketIoBackplane Backplane { get; } = backplane;

    public ConcurrentQueue<BackplaneMessage> Received { get; } = new();

    public int Receive(BackplaneMessage message)
    {
        Received.Enqueue(message);
        return 1;
    }

    public BackplaneMessage[] ReceivedWithText(string text) =>
        [.. Received.Where(m => Encoding.UTF8.GetString(m.Frame.Span).EndsWith(text, StringComparison.Ordinal))];
}
