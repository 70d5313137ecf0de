using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>One chat demo server per test class, with a page that drives the chat with the real socket.io 0.6.18
/// client (<see cref="Client06ChatPath"/>).</summary>
public sealed class ChatServerFixture : IAsyncLifetime
{
    public const string Client06ChatPath = "/test/chat06";

    private ChatServer? chat;

    public ChatServer Chat => chat ?? throw new InvalidOperationException("The chat server did not start.");

    public KestrelTestServer Server => Chat.Server;

    public async Task InitializeAsync()
    {
        var client06Path = TestEnvironment.FindClient06();
        var client06 = client06Path is null ? null : await File.ReadAllBytesAsync(client06Path).WithTimeout();
        chat = await ChatServer.StartAsync(app =>
        {
            app.MapGet(TestPages.Client06ScriptPath, () => client06 is null
                ? Results.Text("socket.io 0.6.18 client not found: " + TestEnvironment.Client06PathVariable, statusCode: 500)
                : Results.Bytes(client06, "application/javascript; charset=utf-8"));
            app.MapGet(Client06ChatPath, () => Results.Content(Client06Chat, "text/html; charset=utf-8"));
        });
    }

    public async Task DisposeAsync()
    {
        if (chat is not null)
        {
            await chat.DisposeAsync();
        }
    }

    /// <summary>The chat protocol spoken by the unmodified 0.6.18 client, as the original demo's chat.js did:
    /// <c>chat06.start(roomId, name)</c>, <c>chat06.say(text)</c>; what arrives is in <c>chat06.received</c>.</summary>
    private const string Client06Chat = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>chat with socket.io 0.6.18</title>
        <script src="/vendor/socket.io-0.6.18.js"></script>
        <script>
        window.chat06 = { received: [], connected: false };
        chat06.start = function (room, name) {
          var socket = new io.Socket('127.0.0.1', { port: Number(location.port), transports: ['websocket'], rememberTransport: false, reconnect: false });
          chat06.room = room;
          chat06.socket = socket;
          socket.on('connect', function () {
            chat06.connected = true;
            socket.send(['__subscribe__', 'room-' + room]);   // django-socketio's subscribe(), two frames
            socket.send({ room: room, action: 'start', name: name });
          });
          socket.on('message', function (m) { chat06.received.push(m); });
          socket.connect();
        };
        chat06.say = function (text) { chat06.socket.send({ room: chat06.room, action: 'message', message: text }); };
        </script>
        </head><body>socket.io 0.6.18 chat client</body></html>
        """;
}
