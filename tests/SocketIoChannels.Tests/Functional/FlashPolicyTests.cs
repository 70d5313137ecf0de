using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>The Flash socket policy (docs/protocol-0.6.md §6.2, §9 item 11): inline on the HTTP port, and on an opt-in port.</summary>
public sealed class FlashPolicyTests
{
    private const string Policy =
        "<?xml version=\"1.0\"?>\n" +
        "<!DOCTYPE cross-domain-policy SYSTEM \"http://www.macromedia.com/xml/dtds/cross-domain-policy.dtd\">\n" +
        "<cross-domain-policy>\n" +
        "<allow-access-from domain=\"*\" to-ports=\"*\"/>\n" +
        "</cross-domain-policy>\n";

    private static Task<TestApp> StartAsync(Action<SocketIoOptions>? options = null) =>
        TestApp.StartAsync(handlers => handlers.AddEventHandler<TestHandlers>(), options);

    /// <summary>An app that opted in to the policy on its HTTP port.</summary>
    private static Task<TestApp> StartInlineAsync() => StartAsync(options => options.FlashPolicyOnHttpPort = true);

    [Fact]
    public async Task ThePolicyRequestOnTheHttpPortIsAnsweredWithThePolicyAndTheConnectionClosed()
    {
        await using var app = await StartInlineAsync();
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);

        await connection.WriteAsync("<policy-file-request/>\0");

        Assert.Equal(Policy, Encoding.UTF8.GetString(await connection.ReadToEndAsync()));
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 140);
    }

    [Fact]
    public async Task APolicyRequestArrivingInPiecesIsAnsweredToo()
    {
        await using var app = await StartInlineAsync();
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);

        await connection.WriteAsync("<policy-file");
        await Task.Delay(100);
        await connection.WriteAsync("-request/>\0");

        Assert.Equal(Policy, Encoding.UTF8.GetString(await connection.ReadToEndAsync()));
    }

    [Fact]
    public async Task HttpRequestsPassThroughUntouchedEvenWhenTheirFirstBytesComeAlone()
    {
        await using var app = await StartInlineAsync();
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);
        var host = connection.HostHeader(app.Address);

        await connection.WriteAsync("G");
        await Task.Delay(100);
        await connection.WriteAsync($"ET /socket.io/xhr-polling//1 HTTP/1.1\r\nHost: {host}\r\n\r\n");
        var head = await connection.ReadHeadAsync();
        var body = await connection.ReadBodyAsync(head);

        Assert.Equal(200, head.StatusCode);
        Assert.Matches("^~m~32~m~[0-9a-f]{32}$", body);
        await connection.WriteAsync($"GET /socket.io/socket.io.js HTTP/1.1\r\nHost: {host}\r\n\r\n");
        Assert.Equal(200, (await connection.ReadHeadAsync()).StatusCode); // the same connection keeps serving HTTP
    }

    [Fact]
    public async Task AConnectionThatSendsNothingIsClosedAfterTheKeepAliveTimeout()
    {
        await using var app = await TestApp.StartAsync(
            handlers => handlers.AddEventHandler<TestHandlers>(),
            options => options.FlashPolicyOnHttpPort = true,
            services: services => services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1)));
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);

        Assert.Empty(await connection.ReadToEndAsync());

        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 142);
    }

    [Fact]
    public async Task TheOptInPolicyPortAnswersAtOnceWithoutReadingARequest()
    {
        var port = FreePort();
        await using var app = await StartAsync(options => options.FlashPolicyPort = port);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).DefaultTimeout();

        var received = new MemoryStream();
        await tcp.GetStream().CopyToAsync(received).DefaultTimeout();

        Assert.Equal(Policy, Encoding.UTF8.GetString(received.ToArray()));
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 143 && e.Level == LogLevel.Information);
    }

    [Fact]
    public async Task APolicyPortThatCannotBeBoundIsLoggedAsAWarningAndTheAppServesOn()
    {
        using var occupant = new TcpListener(IPAddress.IPv6Any, 0);
        occupant.Server.DualMode = true;
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        await using var app = await StartAsync(options => options.FlashPolicyPort = port);

        var warning = Assert.Single(app.Logs.Entries, e => e.EventId.Id == 144);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), warning.Message);
        await using var client = new PollingTestClient(app.Address, jsonp: false);
        await client.ConnectAsync();
        await client.SendAsync("still serving");
        Assert.Equal("still serving", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task ThePolicyOnTheHttpPortIsOffByDefault()
    {
        await using var app = await StartAsync();
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);

        await connection.WriteAsync("<policy-file-request/>\0");

        // Kestrel reads it as a malformed HTTP request: no policy, no connection middleware in the way.
        var answer = Encoding.UTF8.GetString(await connection.ReadToEndAsync());
        Assert.DoesNotContain("cross-domain-policy", answer, StringComparison.Ordinal);
        Assert.False(app.Services.GetRequiredService<IOptions<SocketIoOptions>>().Value.FlashPolicyOnHttpPort);
        Assert.DoesNotContain(app.Logs.Entries, e => e.EventId.Id == 140);
    }

    [Fact]
    public async Task ThePolicyPortIsOffByDefault()
    {
        await using var app = await StartAsync();

        Assert.Null(app.Services.GetRequiredService<IOptions<SocketIoOptions>>().Value.FlashPolicyPort);
        Assert.DoesNotContain(app.Logs.Entries, e => e.EventId.Id is 143 or 144);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.IPv6Any, 0);
        probe.Server.DualMode = true;
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
