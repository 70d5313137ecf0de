using Microsoft.AspNetCore.SignalR;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>SignalR: <c>Clients.Group(g).SendAsync("m", payload)</c> through the hub context.</summary>
internal sealed class SignalRTarget(IHubContext<BenchHub> hub, SignalRGroupCount count) : IFanoutTarget
{
    public int Subscribers => count.Count;

    public ValueTask BroadcastAsync(string payload) => new(hub.Clients.Group(ServerHost.Group).SendAsync("m", payload));
}
