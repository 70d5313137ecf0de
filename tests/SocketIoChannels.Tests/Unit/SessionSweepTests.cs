using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The sweep sends the heartbeats of many sessions that came due together in waves, not in one burst, and
/// every session still gets its heartbeat within half a sweep interval.</summary>
public sealed class SessionSweepTests
{
    private static readonly SocketIoRequest Request = TestRequests.Local();

    [Fact]
    public async Task HeartbeatsOfManySessionsDueTogetherGoOutInSixteenWavesWithinHalfASweepInterval()
    {
        const int Count = 4096;
        var time = new FakeTimeProvider();
        var timings = new SessionTimings(time, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20),
            TimeSpan.FromSeconds(10), TimeSpan.Zero);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var store = new SessionStore(timings, new SocketIoMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger<SessionStore>.Instance);
        var sessions = new List<Session>();
        for (var i = 0; i < Count; i++)
        {
            var session = store.Create("websocket", Request);
            Assert.NotNull(session.Attach(isPoll: false));
            Assert.True(session.Outbound.TryRead(out _)); // the session id
            sessions.Add(session);
        }

        time.Advance(TimeSpan.FromSeconds(10)); // every heartbeat is due now
        var sweep = store.SweepAsync(CancellationToken.None);
        int Sent() => sessions.Count(s => s.Outbound.TryPeek(out _));

        // The first wave: one slice of Count / 16 sessions, then the pass waits for the clock.
        Assert.False(sweep.IsCompleted);
        Assert.Equal(Count / SessionStore.MaxSlicesPerPass, Sent());

        var pause = timings.SweepInterval / 2 / SessionStore.MaxSlicesPerPass;
        var waves = 1;
        var elapsed = TimeSpan.Zero;
        while (!sweep.IsCompleted && waves < 100)
        {
            time.Advance(pause);
            elapsed += pause;
            await Task.Delay(1).DefaultTimeout(); // let the pass resume on the thread pool
            for (var spins = 0; spins < 200 && Sent() < Math.Min(Count, (waves + 1) * (Count / SessionStore.MaxSlicesPerPass)) && !sweep.IsCompleted; spins++)
            {
                await Task.Delay(5).DefaultTimeout();
            }

            waves++;
        }

        await sweep.DefaultTimeout();
        Assert.Equal(Count, Sent());
        Assert.Equal(SessionStore.MaxSlicesPerPass, waves);
        Assert.True(elapsed <= timings.SweepInterval / 2, $"the pass took {elapsed} of fake time");
    }

    [Fact]
    public async Task AFewSessionsAreSweptInOnePassWithoutPausing()
    {
        var time = new FakeTimeProvider();
        var timings = new SessionTimings(time, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20),
            TimeSpan.FromSeconds(10), TimeSpan.Zero);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var store = new SessionStore(timings, new SocketIoMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger<SessionStore>.Instance);
        var sessions = Enumerable.Range(0, SessionStore.MinSweepSlice).Select(_ => store.Create("websocket", Request)).ToList();
        foreach (var session in sessions)
        {
            session.Attach(isPoll: false);
            session.Outbound.TryRead(out _);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        var sweep = store.SweepAsync(CancellationToken.None);

        Assert.True(sweep.IsCompleted); // no pause, no fake-time wait
        await sweep.DefaultTimeout();
        Assert.All(sessions, s => Assert.True(s.Outbound.TryPeek(out _)));
    }
}
