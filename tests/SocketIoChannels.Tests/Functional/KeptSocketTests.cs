using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>A handler that keeps the <see cref="ISocket"/> of a session beyond its end (issue 12, item 4).</summary>
public sealed class KeptSocketTests
{
    /// <summary>Where the handlers leave the sockets they kept.</summary>
    public sealed class Keeper
    {
        public TaskCompletionSource<ISocket> Kept { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> SubscribedWhileEnding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class KeepingHandlers(Keeper keeper, EventRecorder recorder)
    {
        [OnConnect]
        public void Connect(ISocket socket) => keeper.Kept.TrySetResult(socket);

        [OnDisconnect]
        public void Disconnect(ISocket socket) => keeper.SubscribedWhileEnding.TrySetResult(socket.Subscribe("while-ending"));

        [OnFinish]
        public void Finish(ISocket socket) => recorder.Add(socket.SessionId, "finish");
    }

    [Fact]
    public async Task SubscribeOnAnEndedSessionDoesNothingAndReturnsFalse()
    {
        var backplane = new InMemoryBackplaneBus().CreateNode();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<KeepingHandlers>(),
            services: s => s.AddSingleton<Keeper>().AddSingleton<ISocketIoBackplane>(backplane));
        var keeper = app.Services.GetRequiredService<Keeper>();
        var recorder = app.Services.GetRequiredService<EventRecorder>();
        var registry = app.Services.GetRequiredService<SocketIoChannels.Channels.ChannelRegistry<SocketIoChannels.Sessions.Session>>();
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();
        await client.SubscribeAsync("room");
        var socket = await keeper.Kept.Task.DefaultTimeout();
        await Eventually.TrueAsync(() => Task.FromResult(app.Broadcaster.CountSubscribers("room") == 1), "the client joined room");

        await client.CloseAsync();
        await recorder.WaitForAsync(id, e => e.Contains("finish"));

        // In its own OnDisconnect the session has ended already: no subscription.
        Assert.False(await keeper.SubscribedWhileEnding.Task.DefaultTimeout());

        // Later, from a kept socket: nothing changes, nothing is left behind, here or in the backplane's interest.
        Assert.False(socket.Connected);
        Assert.False(socket.Subscribe("late"));
        Assert.Empty(socket.Channels);
        Assert.Equal(0, app.Broadcaster.CountSubscribers("late"));
        Assert.Equal(0, app.Broadcaster.CountSubscribers("while-ending"));
        Assert.Equal(0, app.Broadcaster.CountSubscribers("room"));
        Assert.Equal(0, registry.ChannelCount);
        Assert.Equal(0, backplane.Interest("late") + backplane.Interest("while-ending") + backplane.Interest("room"));
        Assert.False(socket.Unsubscribe("late"));
    }
}
