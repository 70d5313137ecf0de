using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Transports;

/// <summary>
/// jsonp-polling (docs/protocol-0.6.md §3.6): each poll answers the script <c>io.JSONP[i]._("payload");</c>, the payload escaped
/// for a script context; POSTs come from a form whose textarea turned line breaks into CR LF.
/// </summary>
internal sealed class JsonpPollingTransport : PollingTransport
{
    public JsonpPollingTransport(ILogger<JsonpPollingTransport> logger) : base(logger)
    {
    }

    public override string Name => "jsonp-polling";

    protected override bool PostsFromTextarea => true;

    protected override void ValidatePoll(HttpContext context, TransportRequest request) => _ = CallbackIndex(request);

    protected override async Task WritePollAsync(HttpContext context, TransportRequest request, ReadOnlyMemory<byte[]> frames)
    {
        var payload = new StringBuilder();
        foreach (var frame in frames.Span)
        {
            payload.Append(FrameCodec.Utf8.GetString(frame));
        }

        var script = new StringBuilder(payload.Length + 32);
        script.Append("io.JSONP[").Append(CallbackIndex(request).ToString(CultureInfo.InvariantCulture)).Append("]._(");
        FrameCodec.AppendScriptString(script, payload.ToString());
        script.Append(");");
        var bytes = FrameCodec.Utf8.GetBytes(script.ToString());
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/javascript; charset=UTF-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The callback index: the trailing all-digit path segment (<c>…/&lt;ts&gt;/&lt;i&gt;</c>). Anything else
    /// is a 400.</summary>
    private static int CallbackIndex(TransportRequest request)
    {
        var tail = request.Tail.Span;
        var last = tail[(tail.LastIndexOf('/') + 1)..];
        if (last.Length is > 0 and <= 9 && !last.ContainsAnyExceptInRange('0', '9'))
        {
            return int.Parse(last, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        throw new TransportException(StatusCodes.Status400BadRequest,
            "A jsonp-polling GET ends with the callback index: /jsonp-polling/{sessionId}/{timestamp}/{index}.");
    }
}
