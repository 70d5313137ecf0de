using System.Net;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

public sealed class XhrMultipartTransportTests : StreamingTransportTests
{
    protected override SocketIoTestClient CreateClient(Uri server) => new StreamingHttpTestClient(server, "xhr-multipart");

    protected override Task DropAsync(SocketIoTestClient client) => ((StreamingHttpTestClient)client).DropAsync();

    [Fact]
    public async Task EachPayloadIsOnePartBetweenSocketioBoundaries()
    {
        var client = (StreamingHttpTestClient)await ConnectAsync();
        App.Broadcaster.Send(client.SessionId, "a\nb");
        Assert.Equal("a\nb", await client.ReceiveTextAsync());

        Assert.Equal("multipart/x-mixed-replace;boundary=\"socketio\"", client.Head!["Content-Type"]);
        Assert.Null(client.Head["Access-Control-Allow-Origin"]);
        var chunks = client.Chunks;
        Assert.Equal("--socketio\n", chunks[0]);
        Assert.Equal($"Content-Type: text/plain\n\n~m~32~m~{client.SessionId}\n--socketio\n", chunks[1]);
        Assert.Contains("Content-Type: text/plain\n\n~m~3~m~a\nb\n--socketio\n", chunks.Skip(2));
    }

    [Fact]
    public async Task AGetWithAnOriginGetsTheCorsHeaders()
    {
        await using var client = new StreamingHttpTestClient(App.Address, "xhr-multipart");
        client.Headers["Origin"] = "http://page.test:8080";

        await client.ConnectAsync();

        Assert.Equal("*", client.Head!["Access-Control-Allow-Origin"]);
        Assert.Equal("true", client.Head["Access-Control-Allow-Credentials"]);
    }

    [Fact]
    public async Task APostWithAnOriginIsAnsweredOkWithTheCorsHeaders()
    {
        var client = (StreamingHttpTestClient)await ConnectAsync();

        var response = await client.PostAsync("~m~2~m~hi", request => request.Headers.Add("Origin", "http://page.test:8080"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Equal("hi", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task APreflightIsAnsweredOkEchoingTheRequestedMethod()
    {
        var client = (StreamingHttpTestClient)await ConnectAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, $"/socket.io/xhr-multipart/{client.SessionId}/send");
        request.Headers.Add("Origin", "http://page.test:8080");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await client.Http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Equal("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }
}
