using Microsoft.Extensions.Time.Testing;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Unit;

/// <summary>Connections attaching while a session's previous connection or the session itself is ending. The sweep
/// decides to end a session and ends it in one step, so a connection attaching at that moment is either refused (the
/// session had ended) or kept (issue 12, item 5: a poll was ended at once as it attached); a WebSocket resuming a
/// session takes its queue over from the one still closing.</summary>
public sealed class SessionEndRaceTests
{
    private static readonly SocketIoRequest Request = TestRequests.Local("/socket.io/xhr-polling");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AConnectionAttachingAsTheSweepEndsTheSessionIsNotEndedAtOnce(bool isPoll)
    {
        var time = new FakeTimeProvider();
        var second = TimeSpan.FromSeconds(1);
        var timings = new SessionTimings(time, 100, second, second, TimeSpan.FromSeconds(20), second, second);
        var session = new Session("0123456789abcdef0123456789abcdef", isPoll ? "xhr-polling" : "websocket", Request, timings, new NoOwner(), timings.Now());
        var lease = session.Attach(isPoll);
        Assert.NotNull(lease);
        session.Detach(lease); // the client went away: the close timeout runs
        time.Advance(TimeSpan.FromSeconds(2)); // past it: the next sweep ends the session

        TransportLease? attached = null;
        Session.AfterTickDecision = s => attached = s.Attach(isPoll); // the client's next poll (or reconnection) comes now
        try
        {
            session.Tick(timings.Now());
        }
        finally
        {
            Session.AfterTickDecision = null;
        }

        // Either the poll came too late (refused: the session had ended) or in time (and then it lives on); never
        // taken and then ended under it.
        if (attached is null)
        {
            Assert.False(session.IsAlive);
        }
        else
        {
            Assert.True(session.IsAlive, "the connection attached, then the session was ended under it");
            Assert.False(attached.Token.IsCancellationRequested);
        }
    }

    /// <summary>A WebSocket that closes lets go of its session, then stops its send loop; a connection resuming the
    /// session in between started its own loop while the old one still waited on the queue, and that loop stopped
    /// with "one reader at a time" (its client saw the connection reset). The resuming connection supersedes the
    /// one let go, so the old wait ends first.</summary>
    [Fact]
    public async Task AWebSocketResumingTheSessionWhileTheOneBeforeIsClosingTakesTheQueueOver()
    {
        var time = new FakeTimeProvider();
        var second = TimeSpan.FromSeconds(1);
        var timings = new SessionTimings(time, 100, second, second, TimeSpan.FromSeconds(20), second, TimeSpan.FromSeconds(30));
        var session = new Session("0123456789abcdef0123456789abcdef", "websocket", Request, timings, new NoOwner(), timings.Now());
        var closing = session.Attach(isPoll: false)!;
        while (session.Outbound.TryRead(out _))
        {
            // the session id frame: the old connection sent it
        }

        var oldWait = session.Outbound.WaitToReadAsync(closing.Token).AsTask(); // its send loop, idle
        Assert.False(oldWait.IsCompleted);
        session.Detach(closing); // the client closed: the session waits to be resumed; the loop is not stopped yet

        var resumed = session.Attach(isPoll: false)!;
        var newWait = session.Outbound.WaitToReadAsync(resumed.Token).AsTask(); // the resumed connection's send loop
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => oldWait).DefaultTimeout();
        Assert.True(closing.Superseded);

        closing.Cancel(); // what the closing connection does next changes nothing for the new one
        Assert.True(session.TryEnqueue("~m~1~m~x"u8.ToArray()));
        Assert.True(await newWait.DefaultTimeout());
        Assert.False(resumed.Token.IsCancellationRequested);
    }

    private sealed class NoOwner : ISessionOwner
    {
        public void OnEnded(Session session)
        {
        }

        public void OnSlowConsumer(Session session)
        {
        }
    }
}
