using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Unit;

/// <summary>Encode once: one send queues the same encoded array to every 0.6 recipient, whatever its kind.</summary>
public sealed class BroadcastEncodingTests
{
    [Fact]
    public void EveryKindOfBroadcastQueuesOneArrayToAllZeroSixRecipients()
    {
        var collection = new ServiceCollection().AddLogging();
        collection.AddSocketIoChannels(o => o.MessageLogFormat = null);
        using var services = collection.BuildServiceProvider();
        var request = TestRequests.Local();
        var store = services.GetRequiredService<SessionStore>();
        var membership = services.GetRequiredService<ChannelMembership>();
        var sessions = new[] { store.Create("websocket", request), store.Create("xhr-polling", request) };
        foreach (var session in sessions)
        {
            membership.Subscribe(session, "room");
            while (session.Outbound.TryRead(out _))
            {
            }
        }

        var broadcaster = services.GetRequiredService<ISocketIoBroadcaster>();
        broadcaster.Broadcast("a message");
        broadcaster.Emit("an event", 1, new byte[] { 2 });
        broadcaster.EmitChannel("room", "a channel event");
        broadcaster.BroadcastChannel(new { json = true }, "room");

        for (var i = 0; i < 4; i++)
        {
            Assert.True(sessions[0].Outbound.TryRead(out var first));
            Assert.True(sessions[1].Outbound.TryRead(out var second));
            Assert.Same(first, second);
        }
    }
}
