using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary><c>AddHealthChecks().AddSocketIoChannels()</c>, with no backplane and with the in-memory one.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task WithoutABackplaneTheCheckIsHealthyWithTheSessionCount()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(),
            services: s => s.AddHealthChecks().AddSocketIoChannels());
        await using var client = new WebSocketTestClient(app.Address);
        await client.ConnectAsync();

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().DefaultTimeout();

        var entry = report.Entries["socketio"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(1, entry.Data["sessions"]);
        Assert.StartsWith("1 sessions", entry.Description);
    }

    [Fact]
    public async Task ADisconnectedBackplaneIsDegradedWhileLocalSendsGoOn()
    {
        var bus = new InMemoryBackplaneBus();
        var backplane = bus.CreateNode();
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(),
            services: s => s.AddSingleton<ISocketIoBackplane>(backplane).AddHealthChecks().AddSocketIoChannels());
        await using var sender = new WebSocketTestClient(app.Address);
        await using var peer = new PollingTestClient(app.Address, jsonp: false);
        await sender.ConnectAsync();
        await peer.ConnectAsync();
        var health = app.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync().DefaultTimeout()).Status);

        backplane.IsConnected = false;

        var report = await health.CheckHealthAsync().DefaultTimeout();
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(false, report.Entries["socketio"].Data["backplaneConnected"]);
        await sender.SendAsync(new Newtonsoft.Json.Linq.JObject { ["action"] = "sendAndBroadcast", ["payload"] = "still here" });
        Assert.Equal("still here", await sender.ReceiveTextAsync());
        Assert.Equal("still here", await peer.ReceiveTextAsync());
        Assert.Equal(2, app.Broadcaster.Broadcast("sync"));
        Assert.Equal(2, await app.Broadcaster.BroadcastAsync("async").DefaultTimeout());
        Assert.Throws<NoSocketException>(() => app.Broadcaster.BroadcastChannel("nobody", "empty"));
        Assert.True(backplane.PublishFailures >= 3);
    }
}
