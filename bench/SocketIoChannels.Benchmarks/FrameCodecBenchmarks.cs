using BenchmarkDotNet.Attributes;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Benchmarks;

/// <summary>Encoding a 128-character message to its UTF-8 frame and decoding payloads of one and of ten frames.</summary>
[MemoryDiagnoser]
public class FrameCodecBenchmarks
{
    private static readonly string Ascii = new('a', 128);
    private static readonly string NonAscii = string.Concat(Enumerable.Repeat("héllo wörld 😀 ", 9))[..128];
    private static readonly object Json = new { action = "message", name = "alice", message = "hello there, everyone in the room" };
    private readonly List<InboundFrame> frames = new(16);
    private string asciiPayload = string.Empty;
    private string nonAsciiPayload = string.Empty;
    private string multiPayload = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        asciiPayload = FrameCodec.EncodePayload([Ascii]);
        nonAsciiPayload = FrameCodec.EncodePayload([NonAscii]);
        multiPayload = FrameCodec.EncodePayload([.. Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? Ascii : NonAscii)]);
    }

    [Benchmark]
    public byte[] EncodeAscii() => FrameCodec.EncodeFrame(Ascii);

    [Benchmark]
    public byte[] EncodeNonAscii() => FrameCodec.EncodeFrame(NonAscii);

    [Benchmark]
    public byte[] EncodeJsonObject() => FrameCodec.EncodeFrame(Json);

    [Benchmark]
    public int DecodeAscii() => Decode(asciiPayload);

    [Benchmark]
    public int DecodeNonAscii() => Decode(nonAsciiPayload);

    [Benchmark]
    public int DecodeTenFrames() => Decode(multiPayload);

    private int Decode(string payload)
    {
        frames.Clear();
        FrameCodec.TryDecode(payload, frames, out _);
        return frames.Count;
    }
}
