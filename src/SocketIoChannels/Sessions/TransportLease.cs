namespace SocketIoChannels.Sessions;

/// <summary>
/// The right of one transport connection (a WebSocket, or one long-polling GET) to drain a session's outbound
/// queue: a session has at most one. <see cref="Token"/> fires when the connection must stop at once: the lease
/// was superseded by a newer connection, a poll was held for its full duration, or the session was dropped.
/// </summary>
internal sealed class TransportLease
{
    private readonly CancellationTokenSource cancellation = new();

    public TransportLease(bool isPoll, long startedAt)
    {
        IsPoll = isPoll;
        StartedAt = startedAt;
    }

    public bool IsPoll { get; }

    public long StartedAt { get; }

    /// <summary>Set when a newer connection took the session: this one must answer empty and let go.</summary>
    public bool Superseded { get; private set; }

    public CancellationToken Token => cancellation.Token;

    public void Supersede()
    {
        Superseded = true;
        Cancel();
    }

    // Not disposed: the source has no timer, and linked sources of the transport may still observe it.
    public void Cancel() => cancellation.Cancel();
}
