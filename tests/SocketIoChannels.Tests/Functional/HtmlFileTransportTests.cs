using System.Net;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

public sealed class HtmlFileTransportTests : StreamingTransportTests
{
    protected override SocketIoTestClient CreateClient(Uri server) => new StreamingHttpTestClient(server, "htmlfile");

    protected override Task DropAsync(SocketIoTestClient client) => ((StreamingHttpTestClient)client).DropAsync();

    [Fact]
    public async Task TheStreamStartsWith256CharactersOfHtmlThenOneScriptChunkPerPayload()
    {
        var client = (StreamingHttpTestClient)await ConnectAsync();
        App.Broadcaster.Send(client.SessionId, "later");
        Assert.Equal("later", await client.ReceiveTextAsync());

        Assert.Equal("text/html; charset=UTF-8", client.Head!["Content-Type"]);
        Assert.Null(client.Head["Access-Control-Allow-Origin"]);
        var chunks = client.Chunks;
        Assert.Equal(256, chunks[0].Length);
        Assert.StartsWith("<html><body>", chunks[0]);
        Assert.Equal(new string(' ', 244), chunks[0][12..]);
        Assert.Equal($"<script>parent.s._(\"~m~32~m~{client.SessionId}\", document);</script>", chunks[1]);
        Assert.Contains("<script>parent.s._(\"~m~5~m~later\", document);</script>", chunks.Skip(2));
    }

    [Fact]
    public async Task AScriptEndTagInAMessageCannotEndTheScript()
    {
        var client = (StreamingHttpTestClient)await ConnectAsync();
        var text = "</script><script>alert(1)</script> & <b>\u2028\u2029";

        await client.SendAsync(text);

        Assert.Equal(text, await client.ReceiveTextAsync());
        var chunk = client.Chunks[^1];
        Assert.Equal(
            $"<script>parent.s._(\"~m~{text.Length}~m~\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 \\u003cb\\u003e\\u2028\\u2029\", document);</script>",
            chunk);
        Assert.Equal(1, chunk.Split("</script>").Length - 1);
        Assert.DoesNotContain('\u2028', chunk);
        Assert.DoesNotContain('\u2029', chunk);
    }

    [Fact]
    public async Task APostIsAnsweredOkAsPlainTextWithoutCorsHeaders()
    {
        var client = (StreamingHttpTestClient)await ConnectAsync();

        var response = await client.PostAsync("~m~2~m~hi", request => request.Headers.Add("Origin", "http://elsewhere.test"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("hi", await client.ReceiveTextAsync());
    }
}
