using Chat.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Chat.Pages;

/// <summary>A room's chat page (the original's room view); the chat itself runs over Socket.IO (chat.js): with the
/// socket.io 0.6 client the library serves, or with <c>?client=v5</c> with socket.io-client 4.8 (Socket.IO 5) from
/// a CDN (<see cref="SocketIoClientCdn"/>). Both speak to the same handlers, in the same rooms.</summary>
public sealed class RoomModel(ChatDbContext db, IConfiguration configuration) : PageModel
{
    public ChatRoom Room { get; private set; } = null!;

    /// <summary><c>v5</c> for socket.io-client 4.8; anything else (the default) for the 0.6 client.</summary>
    [BindProperty(SupportsGet = true, Name = "client")]
    public string? Client { get; set; }

    public bool UsesV5 => string.Equals(Client, "v5", StringComparison.OrdinalIgnoreCase);

    /// <summary>The script of socket.io-client 4.8: the pinned CDN file, or the configured address.</summary>
    public string V5ScriptUrl => configuration[SocketIoClientCdn.UrlKey] is { Length: > 0 } url ? url : SocketIoClientCdn.Url;

    /// <summary>The integrity hash, only for the pinned CDN file.</summary>
    public string? V5ScriptIntegrity => configuration[SocketIoClientCdn.UrlKey] is { Length: > 0 } ? null : SocketIoClientCdn.Integrity;

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
