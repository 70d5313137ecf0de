using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace SocketIoChannels.Transports;

/// <summary>
/// xhr-multipart (docs/protocol-0.6.md §3.4), Firefox's <c>multipart/x-mixed-replace</c> XHR: a response that stays open and
/// carries one part per payload (<c>Content-Type: text/plain</c>, a blank line, the payload, then the boundary
/// <c>--socketio</c>), line ends as bare LF. Messages come as POSTs to <c>…/xhr-multipart/{sessionId}/send</c>;
/// GET, POST and OPTIONS answers carry <c>Access-Control-Allow-Origin: *</c> and
/// <c>Access-Control-Allow-Credentials: true</c> when the request has an Origin.
/// </summary>
internal sealed class XhrMultipartTransport : StreamingHttpTransport
{
    private static readonly ReadOnlyMemory<byte> Boundary = "--socketio\n"u8.ToArray();
    private static readonly byte[] PartHeader = "Content-Type: text/plain\n\n"u8.ToArray();
    private static readonly byte[] PartEnd = "\n--socketio\n"u8.ToArray();

    public XhrMultipartTransport(ILogger<XhrMultipartTransport> logger) : base(logger)
    {
    }

    public override string Name => "xhr-multipart";

    protected override string ContentType => "multipart/x-mixed-replace;boundary=\"socketio\"";

    protected override ReadOnlyMemory<byte> Prelude => Boundary;

    protected override void WritePayload(IBufferWriter<byte> writer, List<byte[]> frames)
    {
        writer.Write(PartHeader);
        foreach (var frame in frames)
        {
            writer.Write(frame);
        }

        writer.Write(PartEnd);
    }

    /// <summary>docs/protocol-0.6.md §3.4: <c>*</c> with credentials allowed, whenever the request has an Origin.</summary>
    protected override void AddCorsHeaders(HttpContext context)
    {
        if (StringValues.IsNullOrEmpty(context.Request.Headers.Origin))
        {
            return;
        }

        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers.AccessControlAllowCredentials = "true";
    }
}
