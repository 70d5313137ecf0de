using Microsoft.AspNetCore.SignalR;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>The SignalR server: join the bench group, echo to the caller.</summary>
internal sealed class BenchHub(SignalRGroupCount count) : Hub
{
    public async Task Join(string group)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        count.Joined(Context.ConnectionId);
    }

    public Task Echo(string text) => Clients.Caller.SendAsync("m", text);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        count.Left(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
