using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace SocketIoChannels.Transports;

/// <summary>xhr-polling (docs/protocol-0.6.md §3.5): each poll's body is the payload as <c>text/plain</c>, with CORS headers for
/// cross-origin pages.</summary>
internal sealed class XhrPollingTransport : PollingTransport
{
    public XhrPollingTransport(ILogger<XhrPollingTransport> logger) : base(logger)
    {
    }

    public override string Name => "xhr-polling";

    protected override async Task WritePollAsync(HttpContext context, TransportRequest request, ReadOnlyMemory<byte[]> frames)
    {
        var response = context.Response;
        AddCorsHeaders(context);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain; charset=UTF-8";
        long length = 0;
        foreach (var frame in frames.Span)
        {
            length += frame.Length;
        }

        response.ContentLength = length;
        foreach (var frame in frames.Span)
        {
            response.BodyWriter.Write(frame);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>docs/protocol-0.6.md §3.5: the Origin is echoed (<c>*</c> for the literal <c>null</c>), with credentials allowed
    /// when the request carries cookies.</summary>
    protected override void AddCorsHeaders(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origin))
        {
            return;
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin == "null" ? "*" : origin;
        if (!StringValues.IsNullOrEmpty(context.Request.Headers.Cookie))
        {
            headers.AccessControlAllowCredentials = "true";
        }
    }
}
