using System.Threading.Channels;

namespace SocketIoChannels.Sessions;

/// <summary>What a transport connection sees of the session it serves: a 0.6 <see cref="Session"/> or an
/// <see cref="EngineIoSession"/>. It attaches, drains the outbound queue through the hand-off (see
/// <see cref="SessionOutbox"/>), hands over what the client sent, and detaches.</summary>
internal interface ITransportSession
{
    string Id { get; }

    bool IsAlive { get; }

    SessionEndReason EndReason { get; }

    ChannelReader<byte[]> Outbound { get; }

    /// <summary>Attaches a connection (see <see cref="Session.Attach"/>); <see langword="null"/> when it may not.</summary>
    TransportLease? Attach(bool isPoll, Action<object?>? cutOff = null, object? cutOffState = null);

    void Detach(TransportLease detached);

    /// <summary>See <see cref="SessionOutbox.TakeFrames"/>.</summary>
    int TakeFrames(TransportLease lease, byte[][] into, int maxBytes, out Task? settled);

    /// <summary>See <see cref="SessionOutbox.Settle"/>.</summary>
    void Settle(TransportLease lease, bool written);

    /// <summary>Takes one WebSocket message: <paramref name="text"/>, or <paramref name="binary"/> bytes. Throws
    /// <see cref="Protocol.InvalidPayloadException"/> when it is malformed; returns a problem when the session ended
    /// before it was handled.</summary>
    ValueTask<string?> ReceiveMessageAsync(string? text, byte[]? binary, CancellationToken cancellationToken);
}
