using System.Net;
using System.Security.Claims;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>The request snapshot of a session made without a web server (unit tests of sessions, dispatch and
/// encoding): a GET from 127.0.0.1 with no query, headers, cookies or claims.</summary>
public static class TestRequests
{
    public static SocketIoRequest Local(string path = "/socket.io/websocket") =>
        new("GET", "http", "127.0.0.1", string.Empty, path, string.Empty,
            new Dictionary<string, string>(), new Dictionary<string, string>(), new ClaimsPrincipal(new ClaimsIdentity()), IPAddress.Loopback);
}
