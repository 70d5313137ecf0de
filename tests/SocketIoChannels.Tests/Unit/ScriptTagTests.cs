using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.Tests.Unit;

public sealed class ScriptTagTests
{
    private static DefaultHttpContext Page(string pathBase = "")
    {
        var context = new DefaultHttpContext();
        context.Request.PathBase = pathBase;
        context.Request.Host = new HostString("example.test:8080");
        context.Request.Scheme = "http";
        return context;
    }

    [Fact]
    public void SameOriginScriptTagHonoursPathBaseAndResource()
    {
        var html = SocketIoHtml.ScriptTag(Page("/app"), new SocketIoOptions { Resource = "/rt/io/" }, null, null, null);

        Assert.Equal("<script src=\"/app/rt/io/socket.io.js\"></script>", html);
    }

    [Fact]
    public void ASocketServerOnAnotherPortIsNamedInTheTag()
    {
        var html = SocketIoHtml.ScriptTag(Page(), new SocketIoOptions(), "sockets.example.test", 9000, null);

        Assert.Contains("src=\"//sockets.example.test:9000/socket.io/socket.io.js\"", html);
        Assert.Contains("data-socketio-host=\"sockets.example.test\"", html);
        Assert.Contains("data-socketio-port=\"9000\"", html);
    }

    [Fact]
    public void AHostThatWouldBreakTheAttributeIsRefused()
    {
        Assert.Throws<ArgumentException>(() => SocketIoHtml.ScriptTag(Page(), new SocketIoOptions(), "a\"><script>", 9000, null));
    }
}
