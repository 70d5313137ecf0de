using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

public sealed class HostingTests
{
    [Fact]
    public async Task ServesTheClientScriptWithAnETagAnd304()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var http = new HttpClient { BaseAddress = app.Address };

        var response = await http.GetAsync("/socket.io/socket.io.js").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("io.Socket", await response.Content.ReadAsStringAsync());
        var etag = response.Headers.ETag!;

        var again = new HttpRequestMessage(HttpMethod.Get, "/socket.io/socket.io.js");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again).DefaultTimeout()).StatusCode);
    }

    // The client is built from Client/src/*.js at compile time; this is the SHA-256 of the script as it was when it
    // was one file (7aee670e...). A change to the client changes it: update it with that change.
    [Fact]
    public async Task ServesTheClientScriptBuiltFromItsPartsByteForByte()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        using var http = new HttpClient { BaseAddress = app.Address };

        var bytes = await http.GetByteArrayAsync("/socket.io/socket.io.js").DefaultTimeout();

        Assert.Equal("7aee670e86af4681724d7839c4492c745697536441b2fa89c71916fd5a8e04e1", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Theory]
    [InlineData("/socket.io/inexistent")]
    [InlineData("/socket.io/__proto__/x")]
    [InlineData("/socket.iox/xhr-polling//1")]
    [InlineData("/test")]
    public async Task PathsThatAreNotTransportsFallThroughToTheApp(string path)
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), configureApp: a => a.Run(c => c.Response.WriteAsync("app:" + c.Request.Path)));
        using var http = new HttpClient { BaseAddress = app.Address };

        var body = await http.GetStringAsync(path).DefaultTimeout();

        Assert.Equal("app:" + path, body);
    }

    [Fact]
    public async Task ACustomResourceUnderAPathBaseWorks()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.Resource = "rt/io");
        await using var client = new PollingTestClient(app.Address, jsonp: false) { Resource = "rt/io" };

        await client.ConnectAsync();
        await client.SendAsync("custom");

        Assert.Equal("custom", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task MapSocketIoChannelsServesTransportsAsEndpoints()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), configureApp: a => a.MapSocketIoChannels(), useMiddleware: false);
        await using var ws = new WebSocketTestClient(app.Address);
        await using var poll = new PollingTestClient(app.Address, jsonp: true);
        using var http = new HttpClient { BaseAddress = app.Address };

        await ws.ConnectAsync();
        await poll.ConnectAsync();
        await ws.SendAsync("endpoint ws");
        await poll.SendAsync("endpoint poll");

        Assert.Equal("endpoint ws", await ws.ReceiveTextAsync());
        Assert.Equal("endpoint poll", await poll.ReceiveTextAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/socket.io/nothing").DefaultTimeout()).StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheWebSocketMiddlewareIsAddedForTheResourcePathsOnly(bool useMiddleware)
    {
        // The app's own path sees an RFC 6455 upgrade as the app left its pipeline: no WebSocket feature, since it
        // did not call UseWebSockets(); the Socket.IO paths accept it.
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), useMiddleware: useMiddleware, configureApp: a =>
        {
            if (!useMiddleware)
            {
                a.MapSocketIoChannels();
            }

            a.Map("/app", (HttpContext c) => "websocket request: " + c.WebSockets.IsWebSocketRequest);
        });
        await using var connection = await RawHttpConnection.OpenAsync(app.Address);
        await connection.WriteAsync($"GET /app HTTP/1.1\r\nHost: {connection.HostHeader(app.Address)}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        var head = await connection.ReadHeadAsync();

        Assert.Equal(200, head.StatusCode);
        Assert.Equal("websocket request: False", await connection.ReadBodyAsync(head));
        await using var ws = new WebSocketTestClient(app.Address);
        await ws.ConnectAsync();
        await ws.SendAsync("still a WebSocket");
        Assert.Equal("still a WebSocket", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task XhrPollingAnswersPreflightsAndEchoesTheOrigin()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>(), o => o.AllowedOrigins.Add("http://example.com"));
        using var http = new HttpClient { BaseAddress = app.Address };
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/socket.io/xhr-polling//1");
        preflight.Headers.Add("Origin", "http://example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await http.SendAsync(preflight).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        var poll = new HttpRequestMessage(HttpMethod.Get, "/socket.io/xhr-polling//2");
        poll.Headers.Add("Origin", "http://example.com");
        poll.Headers.Add("Cookie", "a=b");
        var answer = await http.SendAsync(poll).DefaultTimeout();
        Assert.Equal("true", answer.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Equal("text/plain; charset=UTF-8", answer.Content.Headers.ContentType!.ToString());
    }
}

[CollectionDefinition(nameof(StaticBroadcasterCollection), DisableParallelization = true)]
public sealed class StaticBroadcasterCollection
{
}

[Collection(nameof(StaticBroadcasterCollection))]
public sealed class StaticBroadcasterTests
{
    [Fact]
    public async Task TheStaticBroadcasterReachesTheSessionsOfTheRunningHost()
    {
        await using var app = await TestApp.StartAsync(h => h.AddEventHandler<TestHandlers>());
        await using var client = new WebSocketTestClient(app.Address);
        var id = await client.ConnectAsync();
        await client.SubscribeAsync("static");
        await app.Services.GetService(typeof(EventRecorder)).As<EventRecorder>().WaitForAsync(id, e => e.Contains("subscribe:static"));

        Assert.Equal(1, Broadcaster.BroadcastChannel("to channel", "static"));
        Assert.Equal(1, Broadcaster.Broadcast("to all"));
        Broadcaster.Send(id, "to one");

        Assert.Equal("to channel", await client.ReceiveTextAsync());
        Assert.Equal("to all", await client.ReceiveTextAsync());
        Assert.Equal("to one", await client.ReceiveTextAsync());
        var error = Assert.Throws<NoSocketException>(() => Broadcaster.BroadcastChannel("x", "empty"));
        Assert.Equal("There are no clients on the channel: empty", error.Message);
    }
}

internal static class ObjectExtensions
{
    public static T As<T>(this object? value) => (T)value!;
}
