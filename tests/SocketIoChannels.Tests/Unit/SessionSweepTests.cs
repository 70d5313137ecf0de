using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The sweep sends the heartbeats (0.6) and pings (Engine.IO) of many sessions that came due together in
/// waves, not in one burst, and every session still gets its heartbeat or ping within half a sweep interval.</summary>
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
        var sweep = store.SweepAsync(timings.SweepInterval, CancellationToken.None);
        await AssertSixteenWavesWithinHalfAnIntervalAsync(sweep, time, timings.SweepInterval, Count,
            () => sessions.Count(s => s.Outbound.TryPeek(out _)));
    }

    [Fact]
    public async Task EngineIoPingsOfManySessionsDueTogetherGoOutInSixteenWavesWithinHalfASweepInterval()
    {
        const int Count = 4096;
        var time = new FakeTimeProvider();
        var timings = new EngineIoTimings(time, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45), 1_000_000, 100);
        var sessionTimings = new SessionTimings(time, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20),
            TimeSpan.FromSeconds(10), TimeSpan.Zero);
        var store = new EngineIoSessionStore(timings, sessionTimings, NullLogger<EngineIoSessionStore>.Instance);
        var sessions = new List<EngineIoSession>();
        for (var i = 0; i < Count; i++)
        {
            var session = store.Create("websocket", Request, NoSessionStarter.Instance);
            Assert.True(session.Outbound.TryRead(out _)); // the open packet
            sessions.Add(session);
        }

        time.Advance(TimeSpan.FromSeconds(25)); // every ping is due now, no connect timeout yet
        var sweep = store.SweepAsync(timings.SweepInterval, CancellationToken.None);
        await AssertSixteenWavesWithinHalfAnIntervalAsync(sweep, time, timings.SweepInterval, Count,
            () => sessions.Count(s => s.Outbound.TryPeek(out _)));
        Assert.All(sessions, s => Assert.True(s.Outbound.TryRead(out var ping) && ping.AsSpan().SequenceEqual("2"u8)));
    }

    /// <summary>The pass sends one slice of <paramref name="count"/> / 16 at once, then waits for the clock; driven
    /// by it, it sends every one in 16 waves within half a sweep interval of fake time.</summary>
    private static async Task AssertSixteenWavesWithinHalfAnIntervalAsync(Task sweep, FakeTimeProvider time, TimeSpan sweepInterval,
        int count, Func<int> sent)
    {
        Assert.False(sweep.IsCompleted);
        Assert.Equal(count / SweepPass.MaxSlices, sent());

        var pause = sweepInterval / 2 / SweepPass.MaxSlices;
        var waves = 1;
        var elapsed = TimeSpan.Zero;
        while (!sweep.IsCompleted && waves < 100)
        {
            time.Advance(pause);
            elapsed += pause;
            await Task.Delay(1).DefaultTimeout(); // let the pass resume on the thread pool
            for (var spins = 0; spins < 200 && sent() < Math.Min(count, (waves + 1) * (count / SweepPass.MaxSlices)) && !sweep.IsCompleted; spins++)
            {
                await Task.Delay(5).DefaultTimeout();
            }

            waves++;
        }

        await sweep.DefaultTimeout();
        Assert.Equal(count, sent());
        Assert.Equal(SweepPass.MaxSlices, waves);
        Assert.True(elapsed <= sweepInterval / 2, $"the pass took {elapsed} of fake time");
    }

    [Fact]
    public async Task AFewSessionsAreSweptInOnePassWithoutPausing()
    {
        var time = new FakeTimeProvider();
        var timings = new SessionTimings(time, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20),
            TimeSpan.FromSeconds(10), TimeSpan.Zero);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var store = new SessionStore(timings, new SocketIoMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger<SessionStore>.Instance);
        var sessions = Enumerable.Range(0, SweepPass.MinSlice).Select(_ => store.Create("websocket", Request)).ToList();
        foreach (var session in sessions)
        {
            session.Attach(isPoll: false);
            session.Outbound.TryRead(out _);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        var sweep = store.SweepAsync(timings.SweepInterval, CancellationToken.None);

        Assert.True(sweep.IsCompleted); // no pause, no fake-time wait
        await sweep.DefaultTimeout();
        Assert.All(sessions, s => Assert.True(s.Outbound.TryPeek(out _)));
    }
}
