using SocketIoChannels.Events;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The tag values dashboards filter on: one per close reason and per event, snake_case, never a fallback.</summary>
public sealed class DiagnosticsNamesTests
{
    [Fact]
    public void EveryCloseReasonHasItsOwnSnakeCaseTagValue()
    {
        var names = Enum.GetValues<SessionEndReason>().Select(SessionEndReasonNames.TagValue).ToList();

        Assert.Equal(["normal", "timeout", "slow_consumer", "app_shutdown", "error", "kicked"], names);
    }

    [Fact]
    public void EveryEventHasItsOwnLowerCaseTagValue()
    {
        var names = Enum.GetValues<SocketIoEvent>().Select(SocketIoEventNames.TagValue).ToList();

        Assert.Equal(["connect", "message", "subscribe", "unsubscribe", "error", "disconnect", "finish", "event"], names);
    }
}
