using Chat;
using SocketIoChannels;

var builder = WebApplication.CreateBuilder(args);

// The original demo's address (SOCKETIO_HOST/SOCKETIO_PORT defaults) unless --urls, ASPNETCORE_URLS or
// ASPNETCORE_HTTP_PORTS chose one.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:9000");
}

builder.Services.AddSingleton<ChatUsers>();
builder.Services.AddSocketIoChannels(); // finds ChatHandlers in this assembly

var app = builder.Build();

app.UseSocketIoChannels(); // /socket.io/socket.io.js and the transports
app.UseDefaultFiles();     // / -> wwwroot/index.html
app.UseStaticFiles();

// A system message to everyone in the lobby, from outside any socket (django-socketio: broadcast_channel in the
// demo's system_message view). Try: curl -d message=hello http://127.0.0.1:9000/system_message
// NOT PROTECTED YET: anyone who can reach the app can post here. The later issue with the multi-room demo adds
// an admin sign-in (the original required a staff user) and a form to pick the room.
app.MapPost("/system_message", async (HttpRequest request) =>
{
    if (!request.HasFormContentType)
    {
        return Results.BadRequest("Post a form with the field 'message'.");
    }

    var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
    var message = form["message"].ToString().Trim();
    if (message.Length == 0)
    {
        return Results.BadRequest("The field 'message' is empty.");
    }

    try
    {
        var sessions = Broadcaster.BroadcastChannel(new { action = "system", message }, "room-lobby");
        return Results.Text($"Message sent to {sessions} session(s).\n");
    }
    catch (NoSocketException)
    {
        return Results.Text("Message not sent: no one is connected.\n");
    }
});

app.Run();
