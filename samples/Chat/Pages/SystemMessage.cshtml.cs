using Chat.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SocketIoChannels;

namespace Chat.Pages;

/// <summary>Sends <c>{"action": "system", "message": ...}</c> to one room or to every session, out of band (the
/// original's system_message view, for staff users).</summary>
[Authorize]
public sealed class SystemMessageModel(ChatDbContext db, ISocketIoBroadcaster broadcaster) : PageModel
{
    public IReadOnlyList<ChatRoom> Rooms { get; private set; } = [];

    public string? Message { get; private set; }

    /// <summary>The room chosen, kept selected after sending (the original lost it); null: all rooms.</summary>
    public int? Room { get; private set; }

    public string? Result { get; private set; }

    public bool Sent { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? message, int? room, CancellationToken cancellationToken)
    {
        Message = message = message?.Trim() ?? string.Empty;
        Room = room;
        await LoadAsync(cancellationToken);
        var target = room is null ? null : Rooms.FirstOrDefault(r => r.Id == room);
        if (message.Length == 0 || message.Length > ChatHandlers.MaxMessageLength || (room is not null && target is null))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Result = message.Length == 0 ? "Write a message." : target is null && room is not null ? "That room does not exist." : "The message is too long.";
            return Page();
        }

        var data = new { action = "system", message };
        try
        {
            var sessions = target is null ? broadcaster.Broadcast(data) : broadcaster.BroadcastChannel(data, target.Channel);
            Sent = true;
            Result = $"Message sent to {sessions} {(sessions == 1 ? "person" : "people")} in {(target is null ? "all rooms" : target.Name)}.";
        }
        catch (NoSocketException)
        {
            Result = target is null ? "Message not sent: no one is connected." : $"Message not sent: no one is connected to {target.Name}.";
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Rooms = await db.Rooms.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
}
