namespace Chat;

/// <summary>A nickname in a room. <see cref="Id"/> is a small public number the page uses to find the user in its
/// list; the Socket.IO session id is never shown to other users (anyone who knows it could post as that session).</summary>
public sealed record ChatUser(int Id, string Room, string Name, string SessionId);
