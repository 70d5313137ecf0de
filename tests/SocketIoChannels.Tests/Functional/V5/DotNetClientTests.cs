using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIOClient;
using SocketIOClient.Transport;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional.V5;

/// <summary>
/// The .NET Socket.IO client from NuGet (SocketIOClient 3.0.6, Engine.IO 4) against the real server on Kestrel:
/// connect with auth, emit with an ack answered by a handler's return value, subscribe with an ack, and receive a
/// channel broadcast sent out of band through the broadcaster. Over WebSocket and over polling.
/// </summary>
public sealed class DotNetClientTests(DotNetClientTests.ServerFixture fixture) : IClassFixture<DotNetClientTests.ServerFixture>
{
    public static TheoryData<string> Transports => new() { "websocket", "polling" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ConnectsEmitsWithAckAndReceivesAChannelBroadcast(string transport)
    {
        using var client = new SocketIO(fixture.Server.BaseAddress, new SocketIOOptions
        {
            EIO = 4,
            Transport = transport == "websocket" ? TransportProtocol.WebSocket : TransportProtocol.Polling,
            AutoUpgrade = false,
            Reconnection = false,
            Auth = new { user = "dotnet-" + transport },
            ConnectionTimeout = TimeSpan.FromSeconds(10),
        });
        var messages = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var firstMessage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.On("message", response =>
        {
            messages.Enqueue(response.ToString());
            firstMessage.TrySetResult();
        });

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnConnected += (_, _) => connected.TrySetResult();
        client.OnError += (_, e) => connected.TrySetException(new InvalidOperationException("connect error: " + e));
        await client.ConnectAsync().DefaultTimeout();
        await connected.Task.DefaultTimeout(); // ConnectAsync returns before the CONNECT answer (node's server too)
        Assert.True(client.Connected);
        Assert.False(string.IsNullOrEmpty(client.Id));

        Assert.Equal("dotnet-" + transport, await EmitWithAckAsync<string>(client, "whoami"));
        Assert.Equal(42, await EmitWithAckAsync<int>(client, "add", 40, 2));

        var room = "room-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True(await EmitWithAckAsync<bool>(client, "subscribe", room));
        var broadcaster = fixture.Server.Services.GetRequiredService<ISocketIoBroadcaster>();
        Assert.Equal(1, broadcaster.BroadcastChannel(new JObject { ["text"] = "héllo 😀", ["n"] = 1 }, room));

        await firstMessage.Task.DefaultTimeout();
        var received = JArray.Parse(Assert.Single(messages));
        Assert.True(JToken.DeepEquals(new JArray(new JObject { ["text"] = "héllo 😀", ["n"] = 1 }), received), received.ToString());
        await client.DisconnectAsync().DefaultTimeout();
    }

    private static async Task<T> EmitWithAckAsync<T>(SocketIO client, string eventName, params object[] args)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.EmitAsync(eventName, response =>
        {
            try
            {
                answer.TrySetResult(response.GetValue<T>());
            }
            catch (Exception e)
            {
                answer.TrySetException(new InvalidOperationException($"the ack of '{eventName}' was {response}", e));
            }
        }, args).DefaultTimeout();
        return await answer.Task.WithTimeout(expression: $"the ack of '{eventName}'");
    }

    /// <summary>One server for the class: <see cref="DotNetClientHandlers"/>.</summary>
    public sealed class ServerFixture : IAsyncLifetime
    {
        public KestrelTestServer Server { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Server = await KestrelTestServer.StartAsync(
                builder => builder.Services.AddSocketIoChannels().AddEventHandler<DotNetClientHandlers>(),
                app => app.UseSocketIoChannels());

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
