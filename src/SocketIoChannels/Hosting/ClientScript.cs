using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SocketIoChannels.Hosting;

/// <summary>Our browser client, embedded in the assembly and served at <c>/{resource}/socket.io.js</c> with an ETag.</summary>
internal sealed class ClientScript
{
    private readonly byte[] content;
    private readonly string etag;

    public ClientScript()
    {
        using var stream = typeof(ClientScript).Assembly.GetManifestResourceStream("SocketIoChannels.Client.socket.io.js")
            ?? throw new InvalidOperationException("The embedded client script SocketIoChannels.Client.socket.io.js is missing from the assembly.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        content = memory.ToArray();
        etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8)) + "\"";
    }

    public async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "no-cache";
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0 && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(tag => tag.Tag == etag || tag.Equals(EntityTagHeaderValue.Any)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/javascript; charset=utf-8";
        response.ContentLength = content.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
