using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The sweep decides to end a session and ends it in one step, so a connection attaching at that moment is
/// either refused (the session had ended) or kept (issue 12, item 5: a poll was ended at once as it attached).</summary>
public sealed class SessionEndRaceTests
{
    private static readonly SocketIoRequest Request = new("GET", "http", "127.0.0.1", string.Empty, "/socket.io/xhr-polling", string.Empty,
        new Dictionary<string, string>(), new Dictionary<string, string>(), new ClaimsPrincipal(new ClaimsIdentity()), IPAddress.Loopback);

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
