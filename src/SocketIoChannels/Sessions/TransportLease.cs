namespace SocketIoChannels.Sessions;

/// <summary>
/// The right of one transport connection (a WebSocket, or one long-polling GET) to drain a session's outbound
/// queue: a session has at most one. <see cref="Token"/> fires when the connection must stop at once: the lease
/// was superseded by a newer connection, a poll was held for its full duration, or the session was dropped.
/// </summary>
/// <remarks>
/// A session that ends any other way lets its connection send what is left and close. For a connection that gave
/// a cut-off callback (the WebSockets), that is bounded: once the session has ended, the connection has
/// <see cref="CloseTimeout"/> to write what is left and its close (<see cref="StopDeadline"/>); past it the
/// callback cuts the connection off, so a client that stopped reading cannot hold it open. The timer exists only
/// from the session's end until the close is written: an idle connection has none.
/// </remarks>
internal sealed class TransportLease
{
    /// <summary>The close-handshake timeout: how long a connection may take to write what is left and its close
    /// once its session has ended.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private const int NoDeadline = 0;
    private const int DeadlineRunning = 1;
    private const int DeadlineStopped = 2;
    private const int CutOffState = 3;

    private readonly CancellationTokenSource cancellation = new();
    private readonly Action<object?>? cutOff;
    private readonly object? cutOffState;
    private Timer? deadline;
    private int deadlineState;

    public TransportLease(bool isPoll, long startedAt, Action<object?>? cutOff = null, object? cutOffState = null)
    {
        IsPoll = isPoll;
        StartedAt = startedAt;
        this.cutOff = cutOff;
        this.cutOffState = cutOffState;
    }

    public bool IsPoll { get; }

    public long StartedAt { get; }

    /// <summary>Set when a newer connection took the session: this one must answer empty and let go.</summary>
    public bool Superseded { get; private set; }

    public CancellationToken Token => cancellation.Token;

    /// <summary>Whether the connection was cut off because it had not written what was left and its close within
    /// <see cref="CloseTimeout"/> of the session's end.</summary>
    public bool WasCutOff => Volatile.Read(ref deadlineState) == CutOffState;

    public void Supersede()
    {
        Superseded = true;
        Cancel();
    }

    // Not disposed: the source has no timer, and linked sources of the transport may still observe it.
    public void Cancel() => cancellation.Cancel();

    /// <summary>The session ended and lets this connection finish: starts the <see cref="CloseTimeout"/> bound,
    /// when the connection has a cut-off callback and has not stopped the bound already.</summary>
    public void StartDeadline()
    {
        if (cutOff is null)
        {
            return;
        }

        lock (this)
        {
            if (deadlineState != NoDeadline)
            {
                return;
            }

            deadlineState = DeadlineRunning;
            deadline = new Timer(static state => ((TransportLease)state!).CutOff(), this, CloseTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The connection wrote its close, or is ending: no bound starts or fires any more. Once this returns,
    /// the cut-off callback is not running and never will (the transport may end its request).</summary>
    public void StopDeadline()
    {
        if (cutOff is null)
        {
            return;
        }

        Timer? timer;
        lock (this)
        {
            if (deadlineState is NoDeadline or DeadlineRunning)
            {
                deadlineState = DeadlineStopped;
            }

            timer = deadline;
            deadline = null;
        }

        timer?.Dispose();
    }

    private void CutOff()
    {
        // Under the lock, so StopDeadline cannot return while the callback runs: the callback only aborts (it
        // never waits), and the transport must not end its request before it returned.
        lock (this)
        {
            if (deadlineState != DeadlineRunning)
            {
                return;
            }

            deadlineState = CutOffState;
            cutOff!(cutOffState);
        }
    }
}
