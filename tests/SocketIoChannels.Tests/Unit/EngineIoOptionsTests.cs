using SocketIoChannels.Hosting;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The Socket.IO 5 options are checked at startup like the rest.</summary>
public sealed class EngineIoOptionsTests
{
    [Fact]
    public void TheDefaultsAreNodes()
    {
        var options = new SocketIoOptions();

        Assert.Equal(TimeSpan.FromSeconds(25), options.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), options.PingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), options.ConnectTimeout);
        Assert.Equal("subscribe", options.SubscribeEventName);
        Assert.Equal("unsubscribe", options.UnsubscribeEventName);
        Assert.True(new SocketIoOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(nameof(SocketIoOptions.PingInterval), "SocketIo:PingInterval must be positive (was 00:00:00).")]
    [InlineData(nameof(SocketIoOptions.PingTimeout), "SocketIo:PingTimeout must be positive (was 00:00:00).")]
    [InlineData(nameof(SocketIoOptions.ConnectTimeout), "SocketIo:ConnectTimeout must be positive (was 00:00:00).")]
    public void TimingsMustBePositive(string option, string failure)
    {
        var options = new SocketIoOptions();
        typeof(SocketIoOptions).GetProperty(option)!.SetValue(options, TimeSpan.Zero);

        Assert.Equal([failure], new SocketIoOptionsValidator().Validate(null, options).Failures ?? []);
    }

    [Theory]
    [InlineData("", "unsubscribe")]
    [InlineData("join", "join")]
    [InlineData("message", "leave")]
    public void SubscribeEventNamesMustBeDistinctEventNames(string subscribe, string unsubscribe)
    {
        var options = new SocketIoOptions { SubscribeEventName = subscribe, UnsubscribeEventName = unsubscribe };

        var failure = Assert.Single(new SocketIoOptionsValidator().Validate(null, options).Failures ?? []);
        Assert.Contains("SubscribeEventName", failure, StringComparison.Ordinal);
    }
}
