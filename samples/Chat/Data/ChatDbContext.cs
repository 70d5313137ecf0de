using Microsoft.EntityFrameworkCore;

namespace Chat.Data;

/// <summary>Rooms and the users now in them, in SQLite (<c>chat.db</c>, created on first run).</summary>
public sealed class ChatDbContext(DbContextOptions<ChatDbContext> options) : DbContext(options)
{
    public DbSet<ChatRoom> Rooms => Set<ChatRoom>();

    public DbSet<ChatUser> Users => Set<ChatUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ChatRoom>(room =>
        {
            room.Property(r => r.Name).HasMaxLength(ChatRoom.MaxNameLength);
            room.Property(r => r.Slug).HasMaxLength(ChatRoom.MaxNameLength * 2);
            room.HasIndex(r => r.Slug).IsUnique();
            room.Ignore(r => r.Channel);
        });
        modelBuilder.Entity<ChatUser>(user =>
        {
            user.Property(u => u.Name).HasMaxLength(ChatUser.MaxNameLength);
            user.Property(u => u.NormalizedName).HasMaxLength(ChatUser.MaxNameLength * 2);
            user.HasIndex(u => new { u.RoomId, u.NormalizedName }).IsUnique();
            user.HasIndex(u => u.SessionId);
            user.HasOne(u => u.Room).WithMany(r => r.Users).HasForeignKey(u => u.RoomId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
