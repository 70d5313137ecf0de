using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Tests.Unit;

/// <summary>Channel names sent as JSON are named as JavaScript's String() names them (issue 12, item 9).</summary>
public sealed class JavaScriptStringTests
{
    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("-0", "0")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1.5e-7", "1.5e-7")]
    [InlineData("123.456", "123.456")]
    [InlineData("42", "42")]
    [InlineData("0.1", "0.1")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("{\"a\":1}", "[object Object]")]
    [InlineData("[1,[2,3],null,true]", "1,2,3,,true")]
    [InlineData("\"room\"", "room")]
    public void JsonValuesAreNamedAsJavaScriptNamesThem(string json, string expected) =>
        Assert.Equal(expected, JavaScriptString.From(FrameCodec.TryParseJson(json, out _)!));

    [Fact]
    public void AJsonChannelNameIsTheJavaScriptStringAndAJsonMarkerSubscribes()
    {
        var frames = new List<InboundFrame>();
        Assert.True(FrameCodec.TryDecode("~m~13~m~__subscribe__~m~7~m~~j~true~m~18~m~~j~\"__subscribe__\"~m~7~m~~j~1e21", frames, out _));
        var commands = new List<InboundCommand>();
        Assert.Null(ClientCommandParser.Parse(frames, commands));
        Assert.Equal([("true", InboundCommandKind.Subscribe), ("1e+21", InboundCommandKind.Subscribe)], commands.Select(c => (c.Channel!, c.Kind)));
    }
}
