using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>Issue 12, item 10: concurrent broadcasts reach all their common recipients in the same relative order
/// (node and gevent delivered each broadcast to all recipients before the next), so every member of a chat sees
/// the same transcript.</summary>
public sealed class BroadcastOrderTests
{
    [Fact]
    public async Task TwoThreadsBroadcastingAtOnceGiveEveryMemberTheSameTranscript()
    {
        const int members = 30;
        const int perThread = 1500; // 3,000 in all: under the queue of 4,000 frames, so nobody is dropped
        await using var app = await TestApp.StartAsync(handlers => handlers.AddEventHandler<TestHandlers>(), options => options.MaxQueuedFrames = 4000);
        var clients = new List<WebSocketTestClient>();
        try
        {
            for (var i = 0; i < members; i++)
            {
                var client = new WebSocketTestClient(app.Address);
                clients.Add(client);
                await client.ConnectAsync();
                await client.SubscribeAsync("room-1");
            }

            await Eventually.TrueAsync(() => Task.FromResult(app.Broadcaster.CountSubscribers("room-1") == members), "every member subscribed");

            using var start = new Barrier(2);
            var threads = new[] { "a", "b" }.Select(name => new Thread(() =>
            {
                start.SignalAndWait();
                for (var n = 0; n < perThread; n++)
                {
                    // Two targets that visit the same members in different orders (the channel's and the server's).
                    if (name == "a")
                    {
                        app.Broadcaster.BroadcastChannel(name + n, "room-1");
                    }
                    else
                    {
                        app.Broadcaster.Broadcast(name + n);
                    }
                }
            })).ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                Assert.True(thread.Join(TaskTimeouts.Default), "the broadcasting threads finished");
            }

            var transcripts = new List<string>();
            foreach (var client in clients)
            {
                var lines = new List<string>();
                for (var n = 0; n < 2 * perThread; n++)
                {
                    lines.Add((await client.ReceiveAsync()).Text);
                }

                transcripts.Add(string.Join(",", lines));
            }

            var first = transcripts[0];
            var differing = transcripts.Count(t => t != first);
            Assert.True(differing == 0, $"{differing} of {members} members saw another order than the first member");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
