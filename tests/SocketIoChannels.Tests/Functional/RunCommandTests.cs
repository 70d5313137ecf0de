using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Hosting;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>The run command (<c>UseSocketIoAddress</c>) on a real Kestrel app.</summary>
public sealed class RunCommandTests
{
    private static async Task<(WebApplication App, Uri Address, string Printed)> StartAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var printed = new StringWriter();
        builder.Services.AddSingleton(new RunBannerOutput(printed));
        builder.Services.AddSingleton<EventRecorder>();
        builder.UseSocketIoAddress(args);
        builder.Services.AddSocketIoChannels().AddEventHandler<TestHandlers>();
        var app = builder.Build();
        app.UseSocketIoChannels();
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address), printed.ToString());
    }

    [Fact]
    public async Task AnAddrPortWithPortZeroBindsAFreePortPrintsItAndServesSockets()
    {
        var (app, address, printed) = await StartAsync(["127.0.0.1:0", "--SocketIo:HeartbeatInterval=00:00:10"]);
        await using (app)
        {
            Assert.Equal("127.0.0.1", address.Host);
            Assert.NotEqual(0, address.Port);
            Assert.Contains($"SocketIoChannels running on http://127.0.0.1:{address.Port}" + Environment.NewLine, printed);

            await using var client = new WebSocketTestClient(address);
            await client.ConnectAsync();
            await client.SendAsync("over the run command");
            Assert.Equal("over the run command", await client.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task TheAddrPortWinsOverUrlsAndConfiguration()
    {
        var (app, address, _) = await StartAsync(["--urls", "http://localhost:1", "--SocketIo:Port", "1", "0"]);
        await using (app)
        {
            Assert.Equal("127.0.0.1", address.Host); // a bare port binds SocketIo:Host, 127.0.0.1 by default
            Assert.NotEqual(0, address.Port);
        }
    }

    [Fact]
    public async Task UrlsWinOverSocketIoHostAndPortWhenNoAddrPortIsGiven()
    {
        var (app, address, printed) = await StartAsync(["--urls", "http://127.0.0.1:0", "--SocketIo:Port", "1"]);
        await using (app)
        {
            Assert.NotEqual(1, address.Port);
            Assert.Contains($"SocketIoChannels running on http://127.0.0.1:{address.Port}", printed);
        }
    }

    [Fact]
    public async Task SocketIoHostAndPortAreUsedWithoutAddrPortOrUrls()
    {
        var (app, address, _) = await StartAsync(["--SocketIo:Host", "127.0.0.1", "--SocketIo:Port", "0"]);
        await using (app)
        {
            await using var client = new PollingTestClient(address, jsonp: false);
            await client.ConnectAsync();
            await client.SendAsync("configured");
            Assert.Equal("configured", await client.ReceiveTextAsync());
        }
    }

    [Fact]
    public void AnInvalidAddrPortStopsBeforeTheAppIsBuilt()
    {
        var builder = WebApplication.CreateSlimBuilder();

        var error = Assert.Throws<FormatException>(() => builder.UseSocketIoAddress(["127.0.0.1:port"]));

        Assert.Equal("\"127.0.0.1:port\" is not a valid port number or address:port pair.", error.Message);
    }
}
