using System.Buffers;
using System.Text;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Tests.Unit;

/// <summary>The hixie-75/76 framing on raw bytes: 0x00 UTF-8 0xFF text frames, 0xFF 0x00 close.</summary>
public sealed class HixieCodecTests
{
    [Fact]
    public void FramesGoOutAsOneTextFrame()
    {
        byte[][] frames = [Encoding.UTF8.GetBytes("~m~1~m~a"), Encoding.UTF8.GetBytes("~m~2~m~hé")];
        var destination = new byte[HixieCodec.EncodedLength(frames.Sum(f => f.Length))];

        var written = HixieCodec.Encode(frames, destination);

        Assert.Equal(destination.Length, written);
        Assert.Equal([0x00, .. "~m~1~m~a~m~2~m~h\u00e9"u8.ToArray(), 0xFF], destination);
        Assert.Equal([0xFF, 0x00], HixieCodec.CloseFrame.ToArray());
    }

    [Fact]
    public void TextFramesAndTheCloseAreReadInTurn()
    {
        var input = new ReadOnlySequence<byte>([0x00, .. "h\u00e9"u8.ToArray(), 0xFF, 0x00, 0xFF, 0xFF, 0x00]);
        long scanned = 0;

        Assert.Equal(HixieFrameStatus.Text, HixieCodec.TryReadFrame(ref input, ref scanned, 100, out var first, out _));
        Assert.Equal("h\u00e9", first);
        Assert.Equal(HixieFrameStatus.Text, HixieCodec.TryReadFrame(ref input, ref scanned, 100, out var empty, out _));
        Assert.Equal(string.Empty, empty);
        Assert.Equal(HixieFrameStatus.Close, HixieCodec.TryReadFrame(ref input, ref scanned, 100, out _, out _));
        Assert.True(input.IsEmpty);
        Assert.Equal(HixieFrameStatus.NeedMore, HixieCodec.TryReadFrame(ref input, ref scanned, 100, out _, out _));
    }

    [Fact]
    public void AnUnfinishedFrameNeedsMoreAndIsNotSearchedTwice()
    {
        var part = new ReadOnlySequence<byte>([0x00, (byte)'a', (byte)'b']);
        long scanned = 0;

        Assert.Equal(HixieFrameStatus.NeedMore, HixieCodec.TryReadFrame(ref part, ref scanned, 100, out _, out _));
        Assert.Equal(2, scanned);
        var whole = new ReadOnlySequence<byte>([0x00, (byte)'a', (byte)'b', (byte)'c', 0xFF]);
        Assert.Equal(HixieFrameStatus.Text, HixieCodec.TryReadFrame(ref whole, ref scanned, 100, out var text, out _));
        Assert.Equal("abc", text);
        Assert.Equal(0, scanned);
        Assert.Equal(HixieFrameStatus.NeedMore, HixieCodec.TryReadFrame(ref Single(0xFF), ref scanned, 100, out _, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x01 }, "frame type 0x80")]
    [InlineData(new byte[] { 0xFF, 0x01 }, "frame type 0xFF")]
    [InlineData(new byte[] { 0x00, 0xC3, 0x28, 0xFF }, "valid UTF-8")]
    [InlineData(new byte[] { 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0xFF }, "at most 4 bytes")]
    [InlineData(new byte[] { 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66 }, "at most 4 bytes")]
    public void BrokenFramesAreInvalidWithTheReason(byte[] bytes, string reason)
    {
        var input = new ReadOnlySequence<byte>(bytes);
        long scanned = 0;

        Assert.Equal(HixieFrameStatus.Invalid, HixieCodec.TryReadFrame(ref input, ref scanned, 4, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    private static ref ReadOnlySequence<byte> Single(byte value)
    {
        var box = new ReadOnlySequence<byte>[] { new([value]) };
        return ref box[0];
    }
}
