using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.Transports;

/// <summary>The <c>ok</c> that answers a polling POST (and a 0.6 preflight), framed by Content-Length: headers and
/// body go out in one write, with no closing chunk after them as a chunked answer needs.</summary>
internal static class OkAnswer
{
    private static readonly byte[] Body = "ok"u8.ToArray();

    public static Task WriteAsync(HttpContext context, string contentType)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = Body.Length;
        return response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
    }
}
