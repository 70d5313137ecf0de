using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Tests.Unit;

/// <summary>Socket.IO 5 packets: the examples of the protocol's text, and what a server must refuse.</summary>
public sealed class SocketIoPacketCodecTests
{
    private static SocketIoPacket Decode(string text)
    {
        var problem = SocketIoPacketCodec.TryDecode(text, 10, out var packet);
        Assert.Null(problem);
        return packet!;
    }

    [Fact]
    public void AConnectWithoutPayloadIsTheDefaultNamespace()
    {
        var packet = Decode("0");

        Assert.Equal(SocketIoPacketType.Connect, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Null(packet.Data);
        Assert.Null(packet.AckId);
    }

    [Fact]
    public void AConnectToANamespaceCarriesItsAuthObject()
    {
        var packet = Decode("0/admin,{\"token\":\"123\"}");

        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal("123", (string?)packet.Data!["token"]);
    }

    [Fact]
    public void ADisconnectFromANamespaceWithoutTheTrailingCommaIsStillThatNamespace()
    {
        Assert.Equal("/admin", Decode("1/admin,").Namespace);
        Assert.Equal("/admin", Decode("1/admin").Namespace);
    }

    [Fact]
    public void AnEventWithAnAckIdKeepsItsIdAndArguments()
    {
        var packet = Decode("2/admin,12[\"chat\",\"hi\",{\"a\":1}]");

        Assert.Equal(SocketIoPacketType.Event, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(12, packet.AckId);
        Assert.Equal("[\"chat\",\"hi\",{\"a\":1}]", packet.Data!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public void DatesStayStrings()
    {
        var packet = Decode("2[\"ev\",\"2026-12-06T10:00:00Z\"]");

        Assert.Equal(JTokenType.String, packet.Data![1]!.Type);
        Assert.Equal("2026-12-06T10:00:00Z", (string?)packet.Data[1]);
    }

    [Fact]
    public void ABinaryEventAnnouncesItsAttachments()
    {
        var packet = Decode("52-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");

        Assert.Equal(SocketIoPacketType.BinaryEvent, packet.Type);
        Assert.Equal(2, packet.Attachments);
        Assert.True(packet.IsBinary);
    }

    [Fact]
    public void AnAckIsAnArrayWithAnId()
    {
        var packet = Decode("313[\"ok\"]");

        Assert.Equal(SocketIoPacketType.Ack, packet.Type);
        Assert.Equal(13, packet.AckId);
    }

    [Theory]
    [InlineData("", "empty packet")]
    [InlineData("7", "unknown packet type")]
    [InlineData("a", "unknown packet type")]
    [InlineData("2", "EVENT payload must be a non-empty array")]
    [InlineData("2[]", "EVENT payload must be a non-empty array")]
    [InlineData("2{\"a\":1}", "EVENT payload must be a non-empty array")]
    [InlineData("2[{}]", "the event name must be a string")]
    [InlineData("2[\"connect\"]", "reserved event name")]
    [InlineData("2[\"disconnecting\",1]", "reserved event name")]
    [InlineData("2[\"a\"", "invalid JSON")]
    [InlineData("2[\"a\"]x", "invalid JSON")]
    [InlineData("2[\"a\"][1]", "invalid JSON")]
    [InlineData("2[\"a\",1e999]", "invalid JSON: a number out of range")]
    [InlineData("2[\"a\",{\"b\":[-1e400]}]", "invalid JSON: a number out of range")]
    [InlineData("0[1]", "CONNECT payload must be an object")]
    [InlineData("0\"token\"", "CONNECT payload must be an object")]
    [InlineData("1{}", "DISCONNECT carries no payload")]
    [InlineData("3[1]", "ACK without an id")]
    [InlineData("31{}", "ACK payload must be an array")]
    [InlineData("5[\"a\"]", "invalid attachment count")]
    [InlineData("5-[\"a\"]", "invalid attachment count")]
    [InlineData("52[\"a\"]", "invalid attachment count")]
    [InlineData("511-[\"a\"]", "too many attachments (at most 10)")]
    [InlineData("51000000000000000000000000-[\"a\"]", "too many attachments (at most 10)")]
    [InlineData("299999999999999999999[\"a\"]", "invalid ack id")]
    public void AMalformedPacketIsRefusedWithWhatIsWrong(string text, string problem)
    {
        Assert.Equal(problem, SocketIoPacketCodec.TryDecode(text, 10, out var packet));
        Assert.Null(packet);
    }

    [Theory]
    [InlineData((int)SocketIoPacketType.Connect, "/", null, "{\"sid\":\"abc\"}", 0, "0{\"sid\":\"abc\"}")]
    [InlineData((int)SocketIoPacketType.Connect, "/admin", null, "{\"sid\":\"abc\"}", 0, "0/admin,{\"sid\":\"abc\"}")]
    [InlineData((int)SocketIoPacketType.Event, "/", null, "[\"message\",\"hi\"]", 0, "2[\"message\",\"hi\"]")]
    [InlineData((int)SocketIoPacketType.Event, "/", 7L, "[\"q\"]", 0, "27[\"q\"]")]
    [InlineData((int)SocketIoPacketType.Ack, "/admin", 7L, "[true]", 0, "3/admin,7[true]")]
    [InlineData((int)SocketIoPacketType.ConnectError, "/x", null, "{\"message\":\"Invalid namespace\"}", 0, "4/x,{\"message\":\"Invalid namespace\"}")]
    [InlineData((int)SocketIoPacketType.BinaryEvent, "/", null, "[\"b\",{\"_placeholder\":true,\"num\":0}]", 1, "51-[\"b\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData((int)SocketIoPacketType.BinaryAck, "/admin", 3L, "[{\"_placeholder\":true,\"num\":0}]", 1, "61-/admin,3[{\"_placeholder\":true,\"num\":0}]")]
    [InlineData((int)SocketIoPacketType.Disconnect, "/admin", null, null, 0, "1/admin,")]
    public void PacketsEncodeAsTheProtocolWritesThem(int typeValue, string nsp, long? ackId, string? json, int attachments, string expected)
    {
        var type = (SocketIoPacketType)typeValue;
        var text = SocketIoPacketCodec.Encode(type, nsp, ackId, json, attachments);

        Assert.Equal(expected, text);
        var back = Decode(text);
        Assert.Equal((type, nsp, ackId, attachments), (back.Type, back.Namespace, back.AckId, back.Attachments));
    }

    [Fact]
    public void BuffersGoAsPlaceholdersAndComeBackInPlace()
    {
        var data = new JArray("upload", new JValue(new byte[] { 1, 2 }), new JObject { ["inner"] = new JValue(new byte[] { 3 }) });
        var attachments = new List<byte[]>();

        var wire = SocketIoBinary.Deconstruct(data, attachments);

        Assert.Equal("[\"upload\",{\"_placeholder\":true,\"num\":0},{\"inner\":{\"_placeholder\":true,\"num\":1}}]", wire.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal([[1, 2], [3]], attachments);
        Assert.True(SocketIoBinary.HasBinary(data));
        Assert.False(SocketIoBinary.HasBinary(wire));

        Assert.True(SocketIoBinary.TryReconstruct(wire, attachments));
        Assert.True(JToken.DeepEquals(data, wire));
        Assert.Equal(JTokenType.Bytes, wire[1]!.Type);
    }

    [Theory]
    [InlineData("[\"a\",{\"_placeholder\":true,\"num\":1}]")]
    [InlineData("[\"a\",{\"_placeholder\":true,\"num\":-1}]")]
    [InlineData("[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]")]
    [InlineData("[\"a\",{\"_placeholder\":true}]")]
    [InlineData("[\"a\",[{\"_placeholder\":true,\"num\":5}]]")]
    public void APlaceholderNamingNoAttachmentIsRefused(string json) =>
        Assert.False(SocketIoBinary.TryReconstruct(JToken.Parse(json), [[1]]));
}
