using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Transports;

/// <summary>
/// htmlfile (docs/protocol-0.6.md §3.3), the "forever iframe" of old Internet Explorer: a <c>text/html</c> response that starts
/// with 256 characters (<c>&lt;html&gt;&lt;body&gt;</c> and spaces, IE renders nothing before that) and then carries
/// one <c>&lt;script&gt;parent.s._("payload", document);&lt;/script&gt;</c> per payload, the payload escaped for a
/// script context so that <c>&lt;/script&gt;</c> in a message cannot end the script. Messages come as POSTs to
/// <c>…/htmlfile/{sessionId}/send</c>. No CORS headers: the client never uses it cross-domain.
/// </summary>
internal sealed class HtmlFileTransport : StreamingHttpTransport
{
    /// <summary>The first part of the stream: <c>&lt;html&gt;&lt;body&gt;</c> padded with spaces to 256 characters.</summary>
    internal static readonly ReadOnlyMemory<byte> PreludeBytes = Encoding.ASCII.GetBytes("<html><body>".PadRight(256));

    public HtmlFileTransport(ILogger<HtmlFileTransport> logger) : base(logger)
    {
    }

    public override string Name => "htmlfile";

    // The charset is ours (0.6 sent none): without it IE would guess and garble non-ASCII text in the scripts.
    protected override string ContentType => "text/html; charset=UTF-8";

    protected override ReadOnlyMemory<byte> Prelude => PreludeBytes;

    protected override void WritePayload(IBufferWriter<byte> writer, List<byte[]> frames)
    {
        var payload = new StringBuilder();
        foreach (var frame in frames)
        {
            payload.Append(FrameCodec.Utf8.GetString(frame));
        }

        var script = new StringBuilder(payload.Length + 48);
        script.Append("<script>parent.s._(");
        FrameCodec.AppendScriptString(script, payload.ToString());
        script.Append(", document);</script>");
        foreach (var chunk in script.GetChunks())
        {
            FrameCodec.Utf8.GetBytes(chunk.Span, writer);
        }
    }
}
