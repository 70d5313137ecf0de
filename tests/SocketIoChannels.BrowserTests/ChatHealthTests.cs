using System.Net;
using SocketIoChannels.BrowserTests.Infrastructure;

namespace SocketIoChannels.BrowserTests;

/// <summary>The chat demo exposes the SocketIoChannels health check at /healthz, as a deployment would.</summary>
public sealed class ChatHealthTests
{
    [Fact]
    public async Task TheChatDemoAnswersHealthyAtHealthz()
    {
        await using var chat = await ChatServer.StartAsync();
        using var http = new HttpClient { BaseAddress = chat.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };

        using var response = await http.GetAsync("/healthz").WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync().WithTimeout());
    }
}
