namespace SocketIoChannels.Sessions;

/// <summary>The hand-off of outbound frames to the transport writes: see <see cref="SessionOutbox"/>.</summary>
internal sealed partial class Session
{
    /// <summary>See <see cref="SessionOutbox.TakeFrames"/>.</summary>
    public int TakeFrames(TransportLease lease, byte[][] into, int maxBytes, out Task? settled) =>
        Outbox06.TakeFrames(lease, into, maxBytes, out settled);

    /// <summary>See <see cref="SessionOutbox.Settle"/>.</summary>
    public void Settle(TransportLease lease, bool written) => Outbox06.Settle(lease, written);

    ValueTask<string?> ITransportSession.ReceiveMessageAsync(string? text, byte[]? binary, CancellationToken cancellationToken) =>
        ReceiveAsync(text ?? string.Empty, normalizeNewlines: false, cancellationToken);
}
