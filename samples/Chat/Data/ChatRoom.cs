namespace Chat.Data;

/// <summary>A room (django-socketio demo: ChatRoom). Its channel is <c>room-{Id}</c>, its page <c>/{Slug}</c>.</summary>
public sealed class ChatRoom
{
    /// <summary>The longest room name (the original's CharField(20)).</summary>
    public const int MaxNameLength = 20;

    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Unique: two names with the same slug are the same room.</summary>
    public required string Slug { get; set; }

    public List<ChatUser> Users { get; set; } = [];

    /// <summary>The Socket.IO channel of the room.</summary>
    public string Channel => ChannelOf(Id);

    public static string ChannelOf(int roomId) => "room-" + roomId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
