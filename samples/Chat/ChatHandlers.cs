using Newtonsoft.Json.Linq;
using SocketIoChannels;

namespace Chat;

/// <summary>
/// The chat protocol of django-socketio's demo (chat/events.py). The page subscribes to <c>room-&lt;name&gt;</c> and
/// sends JSON objects with an <c>action</c>: <c>start</c> (choose a nickname) and <c>message</c>. The server answers
/// <c>in-use</c>, <c>started</c> (the users already there), and sends <c>join</c>, <c>message</c> and <c>leave</c> to
/// the whole room. <c>system</c> messages come from <c>POST /system_message</c> (Program.cs).
/// </summary>
/// <remarks>
/// Differences from the original demo: the room comes from the session's channel, not from a room id the client
/// puts in each message; <c>started</c> lists users with their ids, so their <c>leave</c> removes them from the
/// page; the page escapes text itself (textContent), so nothing is stripped here; a client that unsubscribes from
/// the room leaves it.
/// </remarks>
public sealed class ChatHandlers
{
    /// <summary>The context key of the session's <see cref="ChatUser"/>, set once its nickname was accepted.</summary>
    public const string UserKey = "user";

    /// <summary>Nicknames are cut to this length (the original's ChatUser.name was a CharField(20)).</summary>
    public const int MaxNameLength = 20;

    /// <summary>Chat messages are cut to this length.</summary>
    public const int MaxMessageLength = 2000;

    private const string RoomPrefix = "room-";

    private readonly ChatUsers users;

    // A new instance per event: the state lives in the ChatUsers singleton and in each session's context.
    public ChatHandlers(ChatUsers users)
    {
        this.users = users;
    }

    [OnMessage(channel: "^room-")]
    public void Message(ISocket socket, IDictionary<string, object?> context, JToken message)
    {
        // Anything but {"action": ...} (a plain string, a number) is not part of the protocol: ignore it.
        if (message is not JObject command)
        {
            return;
        }

        switch (Text(command, "action"))
        {
            case "start":
                Start(socket, context, Text(command, "name"));
                break;
            case "message":
                Say(socket, context, Text(command, "message"));
                break;
        }
    }

    /// <summary>An explicit unsubscribe from the room (the page never does it) leaves the room. At teardown the
    /// server also raises OnUnsubscribe, while the channel is still subscribed: then OnFinish does the leaving.</summary>
    [OnUnsubscribe(channel: "^room-")]
    public void Unsubscribed(ISocket socket, IDictionary<string, object?> context, string channel)
    {
        if (context.TryGetValue(UserKey, out var value) && value is ChatUser user && user.Room == channel
            && !socket.Channels.Contains(channel))
        {
            Leave(socket, context, user);
        }
    }

    [OnFinish(channel: "^room-")]
    public void Finish(ISocket socket, IDictionary<string, object?> context)
    {
        if (context.TryGetValue(UserKey, out var value) && value is ChatUser user)
        {
            Leave(socket, context, user);
        }
    }

    private void Start(ISocket socket, IDictionary<string, object?> context, string? name)
    {
        name = Clean(name, MaxNameLength);
        var room = socket.Channels.FirstOrDefault(c => c.StartsWith(RoomPrefix, StringComparison.Ordinal));
        if (name.Length == 0 || room is null || context.ContainsKey(UserKey))
        {
            return; // no nickname, not in a room, or already started in this session
        }

        var joined = users.TryJoin(room, name, socket.SessionId);
        if (joined is null)
        {
            socket.Send(new { action = "in-use" });
            return;
        }

        var (user, others) = joined.Value;
        context[UserKey] = user;
        socket.Send(new
        {
            action = "started",
            id = user.Id,
            name = user.Name, // as accepted: trimmed and cut to MaxNameLength
            users = others.Select(u => new { id = u.Id, name = u.Name }),
        });
        // The joiner gets its own "joins" line too, and adds itself to its user list from it.
        socket.SendAndBroadcastChannel(new { action = "join", id = user.Id, name = user.Name }, room);
    }

    private static void Say(ISocket socket, IDictionary<string, object?> context, string? text)
    {
        text = Clean(text, MaxMessageLength);
        if (text.Length == 0 || !context.TryGetValue(UserKey, out var value) || value is not ChatUser user)
        {
            return; // messages count only after a nickname was accepted
        }

        socket.SendAndBroadcastChannel(new { action = "message", id = user.Id, name = user.Name, message = text }, user.Room);
    }

    private void Leave(ISocket socket, IDictionary<string, object?> context, ChatUser user)
    {
        context.Remove(UserKey);
        if (users.Leave(user))
        {
            // The others only: this session is going away. Its channels are still subscribed during OnFinish.
            socket.BroadcastChannel(new { action = "leave", id = user.Id, name = user.Name }, user.Room);
        }
    }

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
}
