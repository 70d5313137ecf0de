using SocketIoChannels.Channels;

namespace SocketIoChannels.Tests.Unit;

public sealed class ChannelRegistryTests
{
    [Fact]
    public void AddIsIdempotentAndRemoveReportsWhetherItWasThere()
    {
        var registry = new ChannelRegistry<object>();
        var a = new object();

        Assert.True(registry.Add("room", a));
        Assert.False(registry.Add("room", a));
        Assert.True(registry.Remove("room", a));
        Assert.False(registry.Remove("room", a));
    }

    [Fact]
    public void EmptiedChannelsAreRemoved()
    {
        var registry = new ChannelRegistry<object>();
        var a = new object();
        var b = new object();
        registry.Add("room", a);
        registry.Add("room", b);

        registry.Remove("room", a);
        Assert.Equal(1, registry.ChannelCount);
        registry.Remove("room", b);

        Assert.Equal(0, registry.ChannelCount);
        Assert.Empty(registry.GetSubscribers("room"));
    }

    [Fact]
    public void SnapshotsFollowChanges()
    {
        var registry = new ChannelRegistry<object>();
        var a = new object();
        var b = new object();
        registry.Add("room", a);
        var first = registry.GetSubscribers("room");

        registry.Add("room", b);

        Assert.Single(first);
        Assert.Equal(2, registry.GetSubscribers("room").Length);
        Assert.Same(registry.GetSubscribers("room"), registry.GetSubscribers("room"));
    }

    [Fact]
    public async Task ConcurrentChurnLeavesNoEntries()
    {
        var registry = new ChannelRegistry<object>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var member = new object();
                var channel = "c" + (i % 7);
                registry.Add(channel, member);
                _ = registry.GetSubscribers(channel);
                registry.Remove(channel, member);
            }
        }))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, registry.ChannelCount);
    }
}
