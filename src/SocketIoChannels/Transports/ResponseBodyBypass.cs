using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SocketIoChannels.Transports;

/// <summary>
/// Keeps response compression, caching and buffering middleware away from the HTTP transports (docs/protocol-0.6.md §10 item 10):
/// a middleware at the very start of the pipeline remembers the server's own response body
/// (<see cref="Remember"/>), and a transport writes to that one, with buffering disabled, whatever an app's
/// <c>UseResponseCompression()</c> or similar put in between (<see cref="Apply"/>).
/// </summary>
internal sealed class ResponseBodyBypass
{
    private readonly IHttpResponseBodyFeature serverBody;

    private ResponseBodyBypass(IHttpResponseBodyFeature serverBody)
    {
        this.serverBody = serverBody;
    }

    /// <summary>Remembers the response body the server created; called before any other middleware ran.</summary>
    public static void Remember(HttpContext context)
    {
        var body = context.Features.Get<IHttpResponseBodyFeature>();
        if (body is not null)
        {
            context.Features.Set(new ResponseBodyBypass(body));
        }
    }

    /// <summary>Writes this response to the server's own body, unbuffered; call before the response starts.</summary>
    public static void Apply(HttpContext context)
    {
        var remembered = context.Features.Get<ResponseBodyBypass>()?.serverBody;
        if (remembered is not null && !ReferenceEquals(remembered, context.Features.Get<IHttpResponseBodyFeature>()))
        {
            context.Features.Set(remembered);
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }
}
