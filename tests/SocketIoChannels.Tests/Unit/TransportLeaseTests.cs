using Microsoft.Extensions.Time.Testing;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The states of a connection's lease on a fake clock: no bound, bound running (started, restarted),
/// stopped, cut off; and cancellation (superseded, cancelled).</summary>
public sealed class TransportLeaseTests
{
    private readonly FakeTimeProvider clock = new();
    private int cutOffs;

    private TransportLease NewLease(bool withCutOff = true) =>
        new(isPoll: false, clock.GetTimestamp(), clock, withCutOff ? state => Interlocked.Increment(ref ((TransportLeaseTests)state!).cutOffs) : null, this);

    [Fact]
    public void WithoutABoundNothingIsCutOffHoweverLongItRuns()
    {
        var lease = NewLease();

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, cutOffs);
        Assert.False(lease.WasCutOff);
        Assert.False(lease.Token.IsCancellationRequested);
    }

    [Fact]
    public void AStartedBoundCutsOffAtTheCloseTimeoutNotBefore()
    {
        var lease = NewLease();
        lease.StartDeadline();

        clock.Advance(TransportLease.CloseTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, cutOffs);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, cutOffs);
        Assert.True(lease.WasCutOff);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, cutOffs); // once
    }

    [Fact]
    public void StartingTwiceKeepsTheFirstBound()
    {
        var lease = NewLease();
        lease.StartDeadline();
        clock.Advance(TimeSpan.FromSeconds(3));

        lease.StartDeadline();
        clock.Advance(TransportLease.CloseTimeout - TimeSpan.FromSeconds(3));

        Assert.True(lease.WasCutOff);
    }

    [Fact]
    public void ARestartGivesTheWholeTimeoutAgainOnTheSameTimer()
    {
        var lease = NewLease();
        lease.StartDeadline();
        clock.Advance(TimeSpan.FromSeconds(4));

        lease.RestartDeadline();
        clock.Advance(TransportLease.CloseTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, cutOffs);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(lease.WasCutOff);
    }

    [Fact]
    public void ARestartWithoutARunningBoundStartsNone()
    {
        var lease = NewLease();

        lease.RestartDeadline();
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, cutOffs);
    }

    [Fact]
    public void AStoppedBoundNeverFiresAndCannotStartAgain()
    {
        var lease = NewLease();
        lease.StartDeadline();
        clock.Advance(TimeSpan.FromSeconds(4));

        lease.StopDeadline();
        lease.StartDeadline();
        lease.RestartDeadline();
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, cutOffs);
        Assert.False(lease.WasCutOff);
    }

    [Fact]
    public void AConnectionWithoutACutOffHasNoBound()
    {
        var lease = NewLease(withCutOff: false);

        lease.StartDeadline();
        clock.Advance(TimeSpan.FromHours(1));

        Assert.False(lease.WasCutOff);
    }

    [Fact]
    public void SupersedingCancelsTheTokenAndSaysSo()
    {
        var lease = NewLease();

        lease.Supersede();

        Assert.True(lease.Superseded);
        Assert.True(lease.Token.IsCancellationRequested);
        Assert.Equal(0, cutOffs);
    }

    [Fact]
    public void CancellingIsNotSuperseding()
    {
        var lease = NewLease();

        lease.Cancel();

        Assert.False(lease.Superseded);
        Assert.True(lease.Token.IsCancellationRequested);
    }
}
