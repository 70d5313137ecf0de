using Chat.Data;
using Microsoft.EntityFrameworkCore;
using Newtonsoft.Json.Linq;
using SocketIoChannels;

namespace Chat;

/// <summary>
/// The chat protocol of django-socketio's demo (chat/events.py). The room page subscribes to <c>room-{id}</c> and
/// sends JSON objects with an <c>action</c>: <c>start</c> (with a <c>name</c>), <c>message</c> (with a
/// <c>message</c>) and <c>leave</c>. The server answers <c>in-use</c> or <c>started</c> (<c>users</c>: the names of
/// the users already there, as the original sends them), and sends <c>join</c>, <c>message</c> and <c>leave</c> (each
/// with the user's <c>name</c> and <c>id</c>) to the room; <c>system</c> comes from /system_message. A client's
/// <c>leave</c> is answered with <c>left</c>. The original example's room page works against these messages unchanged.
/// </summary>
/// <remarks>
/// Differences from the original demo: the room is the session's channel (a <c>room</c> field in the message, which
/// the original required, is ignored); <c>started</c> also carries <c>userIds</c> (the ids of <c>users</c>, in the
/// same order) and the joiner's own <c>id</c> and <c>name</c>, so the demo's page removes users who were there before
/// it joined when they leave (the original's list kept them); the page escapes text (textContent), so nothing is stripped
/// here; a client may send <c>leave</c> (the Leave button), so polling clients leave at once instead of when their
/// session times out.
/// </remarks>
public sealed partial class ChatHandlers(ChatDbContext db, ILogger<ChatHandlers> logger)
{
    /// <summary>The context key of the session's user id, set once its nickname was accepted.</summary>
    public const string UserKey = "user";

    /// <summary>Chat messages are cut to this length.</summary>
    public const int MaxMessageLength = 2000;

    [OnMessage(Channel = "^room-")]
    public async Task MessageAsync(ISocket socket, IDictionary<string, object?> context, JToken message, CancellationToken cancellationToken)
    {
        // Anything but {"action": ...} (a plain string, a number) is not part of the protocol: ignored.
        if (message is not JObject command)
        {
            return;
        }

        switch (Text(command, "action"))
        {
            case "start":
                await StartAsync(socket, context, Text(command, "name"), cancellationToken);
                break;
            case "message":
                Say(socket, context, Text(command, "message"));
                break;
            case "leave":
                await LeaveAsync(socket, context, CancellationToken.None);
                socket.Send(new { action = "left" }); // the page goes back to the rooms once it has this
                break;
        }
    }

    /// <summary>Last event of a session, still subscribed to the room: the others get <c>leave</c> and the user row
    /// goes. Also runs for every live session when the app stops.</summary>
    [OnFinish(Channel = "^room-")]
    public Task FinishAsync(ISocket socket, IDictionary<string, object?> context) =>
        LeaveAsync(socket, context, CancellationToken.None); // the session's token is cancelled by now

    private async Task StartAsync(ISocket socket, IDictionary<string, object?> context, string? name, CancellationToken cancellationToken)
    {
        name = Clean(name, ChatUser.MaxNameLength);
        var roomId = socket.Channels.Select(RoomIdOf).FirstOrDefault(id => id is not null);
        if (name.Length == 0 || roomId is null || context.ContainsKey(UserKey))
        {
            return; // no nickname, not in a room, or already started in this session
        }

        if (!await db.Rooms.AnyAsync(r => r.Id == roomId, cancellationToken))
        {
            socket.Send(new { action = "no-room" });
            return;
        }

        var user = new ChatUser { RoomId = roomId.Value, Name = name, NormalizedName = name.ToUpperInvariant(), SessionId = socket.SessionId };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            socket.Send(new { action = "in-use" });
            return;
        }

        context[UserKey] = new Joined(user.Id, user.Name, user.RoomId);
        var others = await db.Users.AsNoTracking()
            .Where(u => u.RoomId == user.RoomId && u.Id != user.Id)
            .OrderBy(u => u.Name)
            .Select(u => new { u.Id, u.Name })
            .ToListAsync(cancellationToken);
        // users: names only, as the original sends them (its page lists each entry as a name); their ids on the side.
        socket.Send(new
        {
            action = "started",
            id = user.Id,
            name = user.Name,
            users = others.Select(u => u.Name),
            userIds = others.Select(u => u.Id),
        });
        // Everyone in the room, the joiner too: its own "joins" line adds it to its list.
        socket.SendAndBroadcastChannel(new { action = "join", id = user.Id, name = user.Name }, ChatRoom.ChannelOf(user.RoomId));
    }

    private static void Say(ISocket socket, IDictionary<string, object?> context, string? text)
    {
        text = Clean(text, MaxMessageLength);
        if (text.Length == 0 || !context.TryGetValue(UserKey, out var value) || value is not Joined user)
        {
            return; // messages count only after a nickname was accepted
        }

        socket.SendAndBroadcastChannel(new { action = "message", id = user.Id, name = user.Name, message = text }, ChatRoom.ChannelOf(user.RoomId));
    }

    private async Task LeaveAsync(ISocket socket, IDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        if (!context.Remove(UserKey, out var value) || value is not Joined user)
        {
            return;
        }

        var deleted = await db.Users.Where(u => u.Id == user.Id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return; // already gone
        }

        try
        {
            // The others only: this user is going away.
            socket.BroadcastChannel(new { action = "leave", id = user.Id, name = user.Name }, ChatRoom.ChannelOf(user.RoomId));
        }
        catch (NoSocketException)
        {
            // The room is empty now: no one to tell.
        }

        LogLeft(logger, user.Name, user.RoomId);
    }

    private static int? RoomIdOf(string channel) =>
        channel.StartsWith("room-", StringComparison.Ordinal)
        && int.TryParse(channel.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    private static string? Text(JObject command, string key) =>
        command[key] is JValue { Type: JTokenType.String, Value: string text } ? text : null;

    private static string Clean(string? text, int maxLength)
    {
        text = text?.Trim() ?? string.Empty;
        if (text.Length <= maxLength)
        {
            return text;
        }

        // Never cut between the two halves of a surrogate pair (an emoji).
        var length = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return text[..length].TrimEnd();
    }

    [LoggerMessage(1, LogLevel.Information, "{Name} left room {RoomId}.")]
    private static partial void LogLeft(ILogger logger, string name, int roomId);

    /// <summary>What the session's context keeps of its user (never the tracked entity: each event has its own
    /// DbContext).</summary>
    private sealed record Joined(int Id, string Name, int RoomId);
}
