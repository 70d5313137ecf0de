using System.Text;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Tests.Unit;

public sealed class FrameCodecTests
{
    private static (List<InboundFrame> Frames, bool Ok) Decode(string payload)
    {
        var frames = new List<InboundFrame>();
        var ok = FrameCodec.TryDecode(payload, frames, out _);
        return (frames, ok);
    }

    [Fact]
    public void DecodesSeveralFramesOfOnePayload()
    {
        var (frames, ok) = Decode("~m~5~m~abcde~m~9~m~123456789");

        Assert.True(ok);
        Assert.Equal(["abcde", "123456789"], frames.Select(f => f.Text));
    }

    [Fact]
    public void BadFramingAfterAGoodFrameKeepsOnlyTheGoodFrame()
    {
        var (frames, ok) = Decode("~m~5~m~abcde~m\uffffabcde");

        Assert.False(ok);
        Assert.Equal(["abcde"], frames.Select(f => f.Text));
    }

    [Fact]
    public void EncodesStringsAsPlainFramesAndNullAsJson()
    {
        Assert.Equal("~m~5~m~abcde~m~9~m~123456789", FrameCodec.EncodePayload(["abcde", "123456789"]));
        Assert.Equal("~m~9~m~asdasdsad", FrameCodec.EncodePayload(["asdasdsad"]));
        Assert.Equal("~m~0~m~", FrameCodec.EncodePayload([""]));
        Assert.Equal("~m~7~m~~j~null", FrameCodec.EncodePayload([null]));
    }

    [Fact]
    public void LengthCountsUtf16CodeUnitsSoAnEmojiCountsTwo()
    {
        var frame = Encoding.UTF8.GetString(FrameCodec.EncodeFrame("héllo 😀"));

        Assert.Equal("~m~8~m~héllo 😀", frame);
        var (frames, ok) = Decode("~m~10~m~héllo 😀 世~m~1~m~x");
        Assert.True(ok);
        Assert.Equal(["héllo 😀 世", "x"], frames.Select(f => f.Text));
    }

    [Fact]
    public void LoneSurrogatesGoOutAsJsonEscapes()
    {
        var text = "a\ud800b";

        var (frames, ok) = Decode(FrameCodec.EncodePayload([text]));

        // UTF-8 cannot carry a lone surrogate; a JSON string escape can, and JSON.parse gives it back.
        Assert.True(ok);
        Assert.Equal(new InboundFrame(FrameKind.Json, "\"a\\ud800b\""), frames.Single());
    }

    [Fact]
    public void ALengthThatSplitsASurrogatePairIsAFramingError()
    {
        var (frames, ok) = Decode("~m~7~m~héllo 😀");

        Assert.False(ok);
        Assert.Empty(frames);
    }

    [Theory]
    [InlineData("~m~x~m~abc")]
    [InlineData("~m~-1~m~abc")]
    [InlineData("~m~99999999999~m~abc")]
    [InlineData("~m~20~m~abc")]
    [InlineData("~m~3~mabc")]
    [InlineData("hello")]
    [InlineData("~m~")]
    public void MalformedLengthsDropThePayloadWithoutThrowing(string payload)
    {
        var (frames, ok) = Decode("~m~2~m~ok" + payload);

        Assert.False(ok);
        Assert.Equal(["ok"], frames.Select(f => f.Text));
    }

    [Fact]
    public void ClassifiesJsonAndHeartbeatFrames()
    {
        var (frames, _) = Decode("~m~4~m~~h~1~m~10~m~~j~{\"a\":1}~m~2~m~hi");

        Assert.Equal([FrameKind.Heartbeat, FrameKind.Json, FrameKind.Text], frames.Select(f => f.Kind));
        Assert.Equal(["1", "{\"a\":1}", "hi"], frames.Select(f => f.Text));
    }

    [Fact]
    public void EncodesNonStringValuesAsJson()
    {
        Assert.Equal("~j~{\"a\":2}", FrameCodec.ToMessageText(new { a = 2 }));
        Assert.Equal("~j~[1,\"b\"]", FrameCodec.ToMessageText(new JArray(1, "b")));
        Assert.Equal("~j~5", FrameCodec.ToMessageText(5));
        Assert.Equal("~j~true", FrameCodec.ToMessageText(true));
        Assert.Equal("plain", FrameCodec.ToMessageText(new JValue("plain")));
    }

    [Fact]
    public void AStringThatLooksLikeAJsonOrHeartbeatFrameGoesAsAJsonString()
    {
        Assert.Equal("~j~\"~j~{}\"", FrameCodec.ToMessageText("~j~{}"));
        Assert.Equal("~j~\"~h~1\"", FrameCodec.ToMessageText(new JValue("~h~1")));
    }

    [Fact]
    public void ScriptStringsEscapeMarkupAndLineSeparators()
    {
        var builder = new StringBuilder();

        FrameCodec.AppendScriptString(builder, "</script>&\u2028\u2029\"\\\n😀\ud800");

        Assert.Equal("\"\\u003c/script\\u003e\\u0026\\u2028\\u2029\\\"\\\\\\n😀\\ud800\"", builder.ToString());
        // (Json.NET turns a lone surrogate escape into U+FFFD; JavaScript keeps it, so it is left out here.)
        Assert.Equal("</script>&\u2028\u2029\"\\\n😀", JToken.Parse(builder.ToString()).Value<string>()![..^1]);
    }

    [Fact]
    public void DeeplyNestedJsonIsRefusedNotThrown()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);

        Assert.Null(FrameCodec.TryParseJson(json, out var error));
        Assert.NotNull(error);
    }
}
