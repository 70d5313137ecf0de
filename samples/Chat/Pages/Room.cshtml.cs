using Chat.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chat.Pages;

/// <summary>A room's chat page (the original's room view); the chat itself runs over Socket.IO (chat.js).</summary>
public sealed class RoomModel(ChatDbContext db) : PageModel
{
    public ChatRoom Room { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var room = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Slug == slug, cancellationToken);
        if (room is null)
        {
            return NotFound();
        }

        Room = room;
        return Page();
    }
}
