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
/// callback cuts the connection off, so a client that stopped reading cannot hold it open. The connection starts the
/// same bound itself when it begins to close for any other reason (the client closed, broke the protocol, went
/// away): it is the one close timeout of a connection. The timer (on the session's <see cref="TimeProvider"/>)
/// exists only from the start of the close until the connection ends: an idle connection has none.
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
    private readonly TimeProvider timeProvider;
    private readonly Action<object?>? cutOff;
    private readonly object? cutOffState;
    private ITimer? deadline;
    private long deadlineAt; // when the running bound expires (a timestamp), so a late callback of a restarted one is ignored
    private int deadlineState;

    public TransportLease(bool isPoll, long startedAt, TimeProvider timeProvider, Action<object?>? cutOff = null, object? cutOffState = null)
    {
        IsPoll = isPoll;
        StartedAt = startedAt;
        this.timeProvider = timeProvider;
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

    /// <summary>The session ended and lets this connection finish, or the connection began to close: starts the
    /// <see cref="CloseTimeout"/> bound, when the connection has a cut-off callback and the bound has not started
    /// or been stopped already.</summary>
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
            deadlineAt = timeProvider.GetTimestamp() + (long)(CloseTimeout.TotalSeconds * timeProvider.TimestampFrequency);
            deadline = timeProvider.CreateTimer(static state => ((TransportLease)state!).CutOff(), this, CloseTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The connection wrote its close: the running bound starts again, so the client has
    /// <see cref="CloseTimeout"/> to answer it, on the same timer. Nothing when no bound is running.</summary>
    public void RestartDeadline()
    {
        lock (this)
        {
            if (deadlineState != DeadlineRunning)
            {
                return;
            }

            deadlineAt = timeProvider.GetTimestamp() + (long)(CloseTimeout.TotalSeconds * timeProvider.TimestampFrequency);
            deadline!.Change(CloseTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The connection is ending: no bound starts or fires any more. Once this returns,
    /// the cut-off callback is not running and never will (the transport may end its request).</summary>
    public void StopDeadline()
    {
        if (cutOff is null)
        {
            return;
        }

        ITimer? timer;
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

            var early = deadlineAt - timeProvider.GetTimestamp();
            if (early > 0)
            {
                // Restarted after this callback was due, or a timer that fired a little early: wait for the rest.
                deadline!.Change(TimeSpan.FromSeconds((double)early / timeProvider.TimestampFrequency), Timeout.InfiniteTimeSpan);
                return;
            }

            deadlineState = CutOffState;
            cutOff!(cutOffState);
        }
    }
}
