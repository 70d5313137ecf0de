using System.Text;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Tests.Unit;

public sealed class HixieHandshakeTests
{
    [Fact]
    public void TheDraftsExampleKeysGiveTheDraftsNumbersAndAnswer()
    {
        // draft-hixie-thewebsocketprotocol-76, section 1.3: 4146546015 / 5 spaces and 1299853100 / 4 spaces.
        Assert.True(HixieHandshake.TryParseKey("4 @1  46546xW%0l 1 5", out var key1));
        Assert.True(HixieHandshake.TryParseKey("12998 5 Y3 1  .P00", out var key2));
        Assert.Equal(829309203u, key1);
        Assert.Equal(259970620u, key2);

        var answer = HixieHandshake.ComputeAnswer(key1, key2, "^n:ds[4U"u8);

        Assert.Equal("8jKS'y:G*Co,Wxa-", Encoding.ASCII.GetString(answer));
    }

    [Fact]
    public void RandomKeysAgreeWithTheTestClientsOwnComputation()
    {
        for (var i = 0; i < 50; i++)
        {
            var key1 = Infrastructure.HixieTestClient.NewKey(out var number1);
            var key2 = Infrastructure.HixieTestClient.NewKey(out var number2);
            var key3 = Guid.NewGuid().ToByteArray()[..8];

            Assert.True(HixieHandshake.TryParseKey(key1, out var parsed1));
            Assert.True(HixieHandshake.TryParseKey(key2, out var parsed2));
            Assert.Equal(number1, parsed1);
            Assert.Equal(number2, parsed2);
            Assert.Equal(Infrastructure.HixieTestClient.ExpectedAnswer(key1, key2, key3), HixieHandshake.ComputeAnswer(parsed1, parsed2, key3));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")] // no spaces
    [InlineData("  ")] // no digits
    [InlineData("1 2 3 4")] // 1234 is not a multiple of 3 spaces
    [InlineData("99999999999 9")] // over 32 bits
    public void InvalidKeysAreRefused(string? key)
    {
        Assert.False(HixieHandshake.TryParseKey(key, out _));
    }
}
