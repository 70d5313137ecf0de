namespace Chat;

/// <summary>Who is in which room, in memory, for the whole app (a singleton). Thread-safe: handlers of different
/// sessions run concurrently.</summary>
/// <remarks>The original demo kept these as ChatUser rows in SQLite; the multi-room demo of a later issue moves
/// them to EF Core.</remarks>
public sealed class ChatUsers
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<ChatUser>> rooms = new(StringComparer.Ordinal);
    private int lastId;

    /// <summary>Adds <paramref name="name"/> to <paramref name="room"/> unless someone there already uses it
    /// (compared case-insensitively). Returns the new user and the others already in the room, or
    /// <see langword="null"/> when the name is taken.</summary>
    public (ChatUser User, ChatUser[] Others)? TryJoin(string room, string name, string sessionId)
    {
        lock (gate)
        {
            if (!rooms.TryGetValue(room, out var users))
            {
                users = rooms[room] = [];
            }

            if (users.Any(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            var others = users.ToArray();
            var user = new ChatUser(++lastId, room, name, sessionId);
            users.Add(user);
            return (user, others);
        }
    }

    /// <summary>Removes the user from its room; returns <see langword="false"/> when it was not there.</summary>
    public bool Leave(ChatUser user)
    {
        lock (gate)
        {
            if (!rooms.TryGetValue(user.Room, out var users) || !users.Remove(user))
            {
                return false;
            }

            if (users.Count == 0)
            {
                rooms.Remove(user.Room);
            }

            return true;
        }
    }

    /// <summary>The users of a room, by nickname.</summary>
    public ChatUser[] InRoom(string room)
    {
        lock (gate)
        {
            return rooms.TryGetValue(room, out var users)
                ? [.. users.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase)]
                : [];
        }
    }
}
