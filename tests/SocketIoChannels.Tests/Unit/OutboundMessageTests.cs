using System.Text;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Tests.Unit;

/// <summary>Each kind of send in each protocol's encoding, byte for byte, and encoded once per protocol.</summary>
public sealed class OutboundMessageTests
{
    private static string Text(byte[] queued) => Encoding.UTF8.GetString(queued);

    [Fact]
    public void AMessageIsTheZeroSixFrameAndTheEventMessage()
    {
        var message = OutboundMessage.ForMessage("hi");

        Assert.Equal("~m~2~m~hi", Text(message.Frame06));
        var packets = message.PacketsV5("/");
        Assert.Equal(["42[\"message\",\"hi\"]"], packets.Select(Text));
    }

    [Fact]
    public void AJsonMessageIsJsonInBothProtocols()
    {
        var message = OutboundMessage.ForMessage(new { a = 1 });

        Assert.Equal("~m~10~m~~j~{\"a\":1}", Text(message.Frame06));
        Assert.Equal("42[\"message\",{\"a\":1}]", Text(message.PacketsV5("/")[0]));
        Assert.Equal("42/admin,[\"message\",{\"a\":1}]", Text(message.PacketsV5("/admin")[0]));
    }

    [Fact]
    public void AnEventIsTheNameAndArgsMessageForZeroSixAndAnEventForFive()
    {
        var message = OutboundMessage.ForEvent("chat", ["hi", 2, null, new { x = true }]);

        Assert.Equal("~j~{\"name\":\"chat\",\"args\":[\"hi\",2,null,{\"x\":true}]}", FrameText(message.Frame06));
        Assert.Equal(["42[\"chat\",\"hi\",2,null,{\"x\":true}]"], message.PacketsV5("/").Select(Text));
        Assert.Equal(["42/admin,[\"chat\",\"hi\",2,null,{\"x\":true}]"], message.PacketsV5("/admin").Select(Text));
    }

    [Fact]
    public void AnEventWithBytesIsABinaryEventWithAttachmentsAndBase64ForZeroSix()
    {
        var message = OutboundMessage.ForEvent("file", ["a.bin", new byte[] { 1, 2, 3 }, new { inner = new byte[] { 4 } }]);

        var packets = message.PacketsV5("/");
        Assert.Equal(3, packets.Length);
        Assert.Equal("452-[\"file\",\"a.bin\",{\"_placeholder\":true,\"num\":0},{\"inner\":{\"_placeholder\":true,\"num\":1}}]", Text(packets[0]));
        Assert.Equal(new byte[] { (byte)'b', 1, 2, 3 }, packets[1]);
        Assert.Equal(new byte[] { (byte)'b', 4 }, packets[2]);
        Assert.True(EngineIoCodec.IsQueuedBinary(packets[1]));
        Assert.Equal("~j~{\"name\":\"file\",\"args\":[\"a.bin\",\"AQID\",{\"inner\":\"BA==\"}]}", FrameText(message.Frame06));
    }

    [Fact]
    public void AnEventAskingForAnAckCarriesItsId()
    {
        Assert.Equal("4212[\"ask\",1]", Text(OutboundMessage.ForEvent("ask", [1], ackId: 12).PacketsV5("/")[0]));
        Assert.Equal("42/admin,7[\"ask\"]", Text(OutboundMessage.ForEvent("ask", [], ackId: 7).PacketsV5("/admin")[0]));
    }

    [Fact]
    public void AnAckIsAnAckPacketOrABinaryAckAndHasNoZeroSixForm()
    {
        Assert.Equal("435[true,\"ok\"]", Text(OutboundMessage.ForAck(5, [true, "ok"]).PacketsV5("/")[0]));
        Assert.Equal("43/admin,0[]", Text(OutboundMessage.ForAck(0, []).PacketsV5("/admin")[0]));

        var binary = OutboundMessage.ForAck(9, [new byte[] { 255 }]).PacketsV5("/");
        Assert.Equal("461-9[{\"_placeholder\":true,\"num\":0}]", Text(binary[0]));
        Assert.Equal(new byte[] { (byte)'b', 255 }, binary[1]);

        Assert.Throws<InvalidOperationException>(() => OutboundMessage.ForAck(5, []).Frame06);
    }

    [Fact]
    public void ARemoteFrameKeepsItsBytesAndDerivesTheEventMessage()
    {
        var frame = FrameCodec.EncodeFrame(new JObject { ["n"] = 1 });
        var message = OutboundMessage.FromRemote(frame, null, null);

        Assert.Same(frame, message.Frame06);
        Assert.Equal("42[\"message\",{\"n\":1}]", Text(message.PacketsV5("/")[0]));
        Assert.Equal("42[\"message\",\"plain\"]", Text(OutboundMessage.FromRemote(FrameCodec.EncodeFrame("plain"), null, null).PacketsV5("/")[0]));
    }

    [Fact]
    public void ARemoteEventUsesTheBodyItCarries()
    {
        var sent = OutboundMessage.ForEvent("file", [new byte[] { 7, 8 }]);
        var (json, attachments) = sent.BodyV5;
        var received = OutboundMessage.FromRemote(sent.Frame06, json, attachments);

        Assert.Equal(sent.PacketsV5("/admin").Select(Convert.ToBase64String), received.PacketsV5("/admin").Select(Convert.ToBase64String));
        Assert.Same(sent.Frame06, received.Frame06);
    }

    [Fact]
    public void EachFormIsEncodedOnceWhateverTheNumberOfRecipients()
    {
        var message = OutboundMessage.ForEvent("e", [1]);

        Assert.Same(message.Frame06, message.Frame06);
        Assert.Same(message.PacketsV5("/"), message.PacketsV5("/"));
        Assert.Same(message.PacketsV5("/admin"), message.PacketsV5("/admin"));
    }

    [Fact]
    public void AnEmptyEventNameOrAnUnserializableArgumentIsRefusedAtOnce()
    {
        Assert.Throws<ArgumentException>(() => OutboundMessage.ForEvent("", []));
        var loop = new Loop();
        loop.Self = loop;
        var exception = Assert.Throws<ArgumentException>(() => OutboundMessage.ForEvent("e", [loop]));
        Assert.Contains("Loop", exception.Message, StringComparison.Ordinal);
    }

    private static string FrameText(byte[] frame)
    {
        var text = Text(frame);
        var frames = new List<InboundFrame>();
        Assert.True(FrameCodec.TryDecode(text, frames, out _));
        return (frames[0].Kind == FrameKind.Json ? "~j~" : string.Empty) + frames[0].Text;
    }

    private sealed class Loop
    {
        public Loop? Self { get; set; }
    }
}
