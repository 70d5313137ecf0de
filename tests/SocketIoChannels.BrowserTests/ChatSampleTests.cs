using Chat;
using Chat.Data;

namespace SocketIoChannels.BrowserTests;

/// <summary>Pure parts of the chat demo: slugs, and the address check before the app is built.</summary>
public sealed class ChatSampleTests
{
    [Theory]
    [InlineData("Lobby", "lobby")]
    [InlineData("  The  Lobby!! ", "the-lobby")]
    [InlineData("Café Lounge!", "cafe-lounge")]
    [InlineData("Room 42", "room-42")]
    [InlineData("日本語 chat", "日本語-chat")]
    [InlineData("a_b.c", "a-b-c")]
    [InlineData("!?!", "")]
    [InlineData("😀", "")]
    public void RoomNamesBecomeSlugsAsDjangosSlugify(string name, string slug)
    {
        Assert.Equal(slug, Slugs.Slugify(name));
    }

    [Fact]
    public void TheDemoRefusesAnInvalidAddressBeforeItStarts()
    {
        var error = Assert.Throws<FormatException>(() => ChatApp.Build(["nine-thousand"]));

        Assert.Equal("\"nine-thousand\" is not a valid port number or address:port pair.", error.Message);
    }
}
