namespace Chat.Data;

/// <summary>A nickname in a room while its Socket.IO session lives (django-socketio demo: ChatUser). <see cref="Id"/>
/// is the public number the pages use to find the user in their lists; <see cref="SessionId"/> is never shown to
/// other users (whoever knows a session id can post as that session).</summary>
public sealed class ChatUser
{
    /// <summary>The longest nickname (the original's CharField(20)).</summary>
    public const int MaxNameLength = 20;

    public int Id { get; set; }

    public int RoomId { get; set; }

    public ChatRoom? Room { get; set; }

    public required string Name { get; set; }

    /// <summary><see cref="Name"/> upper-cased: unique per room, so "Ann" and "ann" cannot both be in one room.</summary>
    public required string NormalizedName { get; set; }

    public required string SessionId { get; set; }
}
