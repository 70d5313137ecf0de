using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>An app's <c>UseResponseCompression()</c> (text/html included) must not touch the HTTP transports: their
/// chunks arrive uncompressed and at once (docs/protocol-0.6.md §10 item 10).</summary>
public sealed class ResponseCompressionTests : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(
            handlers => handlers.AddEventHandler<TestHandlers>(),
            options => options.HeartbeatInterval = TimeSpan.FromMinutes(1),
            configureApp: web =>
            {
                web.UseResponseCompression();
                web.UseSocketIoChannels();
                web.MapGet("/page", () => Results.Content("<html><body>" + new string('x', 4000) + "</body></html>", "text/html"));
            },
            services: services => services.AddResponseCompression(options =>
            {
                options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["text/html", "multipart/x-mixed-replace", "text/plain", "text/javascript"]);
                options.Providers.Add<GzipCompressionProvider>();
            }),
            useMiddleware: false);
    }

    public Task DisposeAsync() => app.DisposeAsync().AsTask();

    [Fact]
    public async Task TheAppsOwnPagesAreCompressed()
    {
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);

        await connection.WriteAsync($"GET /page HTTP/1.1\r\nHost: {connection.HostHeader(app.Address)}\r\nAccept-Encoding: gzip\r\n\r\n");
        var head = await connection.ReadHeadAsync();

        Assert.Equal("gzip", head["Content-Encoding"]);
    }

    [Theory]
    [InlineData("htmlfile")]
    [InlineData("xhr-multipart")]
    public async Task StreamingChunksArriveUncompressedAndAtOnce(string transport)
    {
        await using var client = new StreamingHttpTestClient(app.Address, transport);
        client.Headers["Accept-Encoding"] = "gzip, deflate, br";
        var id = await client.ConnectAsync();

        app.Broadcaster.Send(id, "right now");

        Assert.Equal("right now", await client.ReceiveTextAsync(TimeSpan.FromSeconds(2)));
        Assert.Null(client.Head!["Content-Encoding"]);
        Assert.Null(client.Head["Vary"]);
        Assert.Contains("right now", client.Chunks[^1]);
    }

    [Theory]
    [InlineData("xhr-polling", "")]
    [InlineData("jsonp-polling", "/0")]
    public async Task PollingAnswersAreNotCompressed(string transport, string suffix)
    {
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);

        await connection.WriteAsync($"GET /socket.io/{transport}//1{suffix} HTTP/1.1\r\nHost: {connection.HostHeader(app.Address)}\r\nAccept-Encoding: gzip\r\n\r\n");
        var head = await connection.ReadHeadAsync();

        Assert.Null(head["Content-Encoding"]);
        Assert.Contains("~m~32~m~", await connection.ReadBodyAsync(head));
    }
}
