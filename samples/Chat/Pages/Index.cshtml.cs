using Chat.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chat.Pages;

/// <summary>The rooms with the users now in them, and the form that adds a room (the original's rooms and create
/// views).</summary>
public sealed class IndexModel(ChatDbContext db) : PageModel
{
    public IReadOnlyList<ChatRoom> Rooms { get; private set; } = [];

    public string? Name { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Adds a room and goes to it; a name or slug that exists goes to that room.</summary>
    public async Task<IActionResult> OnPostAsync(string? name, CancellationToken cancellationToken)
    {
        Name = name = name?.Trim() ?? string.Empty;
        var slug = Slugs.Slugify(name);
        Error = name.Length == 0 ? "Give the room a name."
            : name.Length > ChatRoom.MaxNameLength ? $"A room name has at most {ChatRoom.MaxNameLength} characters."
            : slug.Length == 0 ? "A room name needs at least one letter or digit."
            : null;
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(cancellationToken);
            return Page();
        }

        var existing = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name || r.Slug == slug, cancellationToken);
        if (existing is null)
        {
            db.Rooms.Add(new ChatRoom { Name = name, Slug = slug });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Added by someone else at the same moment: go there.
            }

            existing = await db.Rooms.AsNoTracking().FirstAsync(r => r.Slug == slug, cancellationToken);
        }

        return Redirect("/" + Uri.EscapeDataString(existing.Slug));
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Rooms = await db.Rooms.AsNoTracking()
            .Include(r => r.Users.OrderBy(u => u.Name))
            .OrderBy(r => r.Name)
            .ToListAsync(cancellationToken);
}
