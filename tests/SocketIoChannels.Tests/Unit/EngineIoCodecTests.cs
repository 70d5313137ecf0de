using SocketIoChannels.Protocol;

namespace SocketIoChannels.Tests.Unit;

/// <summary>Engine.IO 4 packets and polling payloads, on the examples of the protocol's own text.</summary>
public sealed class EngineIoCodecTests
{
    [Theory]
    [InlineData("0{\"sid\":\"x\"}", (int)EngineIoPacketType.Open, "{\"sid\":\"x\"}")]
    [InlineData("1", (int)EngineIoPacketType.Close, "")]
    [InlineData("2", (int)EngineIoPacketType.Ping, "")]
    [InlineData("2probe", (int)EngineIoPacketType.Ping, "probe")]
    [InlineData("3probe", (int)EngineIoPacketType.Pong, "probe")]
    [InlineData("4hello", (int)EngineIoPacketType.Message, "hello")]
    [InlineData("5", (int)EngineIoPacketType.Upgrade, "")]
    [InlineData("6", (int)EngineIoPacketType.Noop, "")]
    public void TextPacketsDecodeToTheirTypeAndData(string text, int typeValue, string data)
    {
        var type = (EngineIoPacketType)typeValue;
        Assert.True(EngineIoCodec.TryDecodeText(text, out var packet));
        Assert.Equal(type, packet.Type);
        Assert.Equal(data, packet.Text);
        Assert.False(packet.IsBinary);
        Assert.Equal(text, EngineIoCodec.EncodeText(type, data));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("x")]
    [InlineData("/")]
    public void AnUnknownPacketTypeIsRefused(string text) => Assert.False(EngineIoCodec.TryDecodeText(text, out _));

    [Fact]
    public void APayloadOfTextAndBinaryMessagesDecodesInOrder()
    {
        var packets = new List<EngineIoPacket>();

        Assert.Equal(DecodeResult.Ok, EngineIoCodec.DecodePayload("4hello\u001ebAQIDBA==\u001e2", 10, packets));

        Assert.Equal(3, packets.Count);
        Assert.Equal(EngineIoPacket.FromText(EngineIoPacketType.Message, "hello"), packets[0]);
        Assert.Equal(EngineIoPacketType.Message, packets[1].Type);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, packets[1].Binary);
        Assert.Equal(EngineIoPacketType.Ping, packets[2].Type);
    }

    [Fact]
    public void APayloadEncodesWithTheRecordSeparatorAndBase64()
    {
        var payload = EngineIoCodec.EncodePayload(
        [
            EngineIoPacket.FromText(EngineIoPacketType.Message, "hello"),
            EngineIoPacket.FromBinary([1, 2, 3, 4]),
            EngineIoPacket.FromText(EngineIoPacketType.Noop, string.Empty),
        ]);

        Assert.Equal("4hello\u001ebAQIDBA==\u001e6", payload);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4a\u001e")]
    [InlineData("\u001e4a")]
    [InlineData("4a\u001e\u001e4b")]
    [InlineData("4a\u001e9")]
    [InlineData("4a\u001eb***")]
    [InlineData("bAQI")]
    public void AMalformedPayloadAddsNothing(string payload)
    {
        var packets = new List<EngineIoPacket> { EngineIoPacket.FromText(EngineIoPacketType.Ping, string.Empty) };

        Assert.Equal(DecodeResult.Malformed, EngineIoCodec.DecodePayload(payload, 10, packets));

        Assert.Single(packets);
    }

    [Fact]
    public void APayloadOverThePacketLimitIsRefusedWhole()
    {
        var packets = new List<EngineIoPacket>();

        Assert.Equal(DecodeResult.TooManyFrames, EngineIoCodec.DecodePayload("4a\u001e4b\u001e4c", 2, packets));

        Assert.Empty(packets);
    }

    [Fact]
    public void AnEmptyBinaryMessageIsZeroBytes()
    {
        var packets = new List<EngineIoPacket>();

        Assert.Equal(DecodeResult.Ok, EngineIoCodec.DecodePayload("b", 10, packets));

        Assert.Empty(Assert.Single(packets).Binary!);
    }
}
