using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>A user of the chat demo in their own browser context, with the page pinned to one transport; with
/// <paramref name="client"/> <c>v5</c>, on socket.io-client 4.8 (the room page's <c>?client=v5</c>).</summary>
public sealed partial class ChatPage(BrowserPage browser, string transport, string? client = null)
{
    public BrowserPage Browser { get; } = browser;

    public IPage Page => Browser.Page;

    public ILocator Users => Page.Locator("#users li");

    public ILocator Lines => Page.Locator("#messages li");

    public ILocator Status => Page.Locator("#status");

    /// <summary>Adds a room on the rooms page (or goes to the existing one) and opens it; returns its path.</summary>
    public async Task<string> AddRoomAsync(string name)
    {
        await Browser.GotoAsync("/");
        await Page.FillAsync("#name", name).WithTimeout();
        await Page.ClickAsync(".add-room button").WithTimeout();
        await Page.WaitForSelectorAsync("#chat").WithTimeout();
        var path = new Uri(Page.Url).AbsolutePath;
        if (transport == "websocket")
        {
            await Expect(Status).ToContainTextAsync("Connected (websocket)"); // the page's first choice
        }
        else
        {
            await OpenRoomAsync(path);
        }

        return path;
    }

    public async Task OpenRoomAsync(string path)
    {
        await Browser.GotoAsync(path + "?transport=" + transport + (client is null ? "" : "&client=" + client));
        await Expect(Status).ToContainTextAsync($"Connected ({transport})");
    }

    /// <summary>Sends the nickname and waits until the server accepted it (the user list shows it).</summary>
    public async Task JoinAsync(string nickname)
    {
        await TryJoinAsync(nickname);
        await Expect(Page.Locator("#users li.me")).ToHaveTextAsync(nickname);
        await Expect(Page.Locator("#button")).ToHaveTextAsync("Send");
    }

    public async Task TryJoinAsync(string nickname)
    {
        await Page.FillAsync("#text", nickname).WithTimeout();
        await Page.ClickAsync("#button").WithTimeout();
    }

    public async Task SayAsync(string text)
    {
        await Page.FillAsync("#text", text).WithTimeout();
        await Page.PressAsync("#text", "Enter").WithTimeout();
    }

    /// <summary>Waits for a line <c>(HH:MM:SS) name: text</c>.</summary>
    public Task ExpectLineAsync(string name, string text) =>
        Expect(Lines.Filter(new LocatorFilterOptions { HasTextRegex = LineRegex(name, text) })).ToHaveCountAsync(1);

    public static Regex LineRegex(string name, string text) =>
        new("^\\(\\d\\d:\\d\\d:\\d\\d\\) " + Regex.Escape(name) + ": " + Regex.Escape(text) + "$");

    public async Task<string[]> LineTextsAsync() => [.. await Lines.AllTextContentsAsync().WithTimeout()];
}
