using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>
/// Engine.IO 4 long polling (docs/protocol-v5.md §1.3): a GET is held until something is queued and answered with
/// everything queued (packets joined by U+001E, binary ones as <c>b</c> and base64); the server's ping keeps the
/// cycle going. A POST carries the client's packets and is answered <c>ok</c>. One GET and one POST at a time: a
/// second is refused and ends the session.
/// </summary>
internal sealed partial class EngineIoPollingTransport
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] NoopBody = EngineIoCodec.QueuedText(EngineIoPacketType.Noop);
    private readonly EngineIoSessionStore store;
    private readonly ILogger<EngineIoPollingTransport> logger;

    public EngineIoPollingTransport(EngineIoSessionStore store, ILogger<EngineIoPollingTransport> logger)
    {
        this.store = store;
        this.logger = logger;
    }

    public Task ProcessRequestAsync(HttpContext context, TransportRequest request, string? sid)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsOptions(method))
        {
            return PreflightAsync(context);
        }

        if (sid is null)
        {
            return HttpMethods.IsGet(method)
                ? PollAsync(context, store.Create(EngineIoSession.PollingTransportName, request.Snapshot(context), request.SessionStarter), request)
                : throw new EngineIoException(EngineIoException.BadHandshakeMethod, "A handshake must be a GET.");
        }

        var session = store.Find(sid) ?? throw new EngineIoException(EngineIoException.UnknownSid, "No session has this sid.");
        if (HttpMethods.IsGet(method))
        {
            return PollAsync(context, session, request);
        }

        if (HttpMethods.IsPost(method))
        {
            return ReceiveAsync(context, session, request);
        }

        throw new EngineIoException(EngineIoException.BadRequest, "Polling answers GET, POST and OPTIONS.");
    }

    private async Task PollAsync(HttpContext context, EngineIoSession session, TransportRequest request)
    {
        var lease = session.AttachPoll(out var problem)
            ?? throw new EngineIoException(EngineIoException.BadRequest, "A GET was refused: " + problem + ".");
        ResponseBodyBypass.Apply(context);
        byte[][] frames = [];
        var count = 0;
        var written = false;
        try
        {
            (frames, count) = await PollingTransport.TakeFramesAsync(context, session, lease).ConfigureAwait(false);
            session.Detach(lease);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return; // the packets go back to the queue (finally)
            }

            LogPollAnswered(session.Id, count);
            await WritePayloadAsync(context, frames.AsMemory(0, count)).ConfigureAwait(false);

            // Unlike 0.6 polling, a batch the connection took counts as written even when the connection ends right
            // after: an Engine.IO client never polls again after losing a poll (it opens a new session), so putting
            // the batch back could only send it twice, to a client that read it and then closed the connection (node's
            // client closes each poll's connection as soon as it has the answer).
            written = true;
            request.Metrics.MessagesSent(request.TransportName, count);
        }
        finally
        {
            if (count > 0)
            {
                session.Settle(lease, written);
                ArrayPool<byte[]>.Shared.Return(frames, clearArray: true);
            }
        }
    }

    /// <summary>Writes the payload of <paramref name="packets"/>; a poll with none (superseded by the upgrade, or
    /// ended) is answered with a noop, which every client ignores.</summary>
    private static async Task WritePayloadAsync(HttpContext context, ReadOnlyMemory<byte[]> packets)
    {
        var response = context.Response;
        AddCorsHeaders(context);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain; charset=UTF-8";
        if (packets.IsEmpty)
        {
            response.ContentLength = NoopBody.Length;
            await response.Body.WriteAsync(NoopBody, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        long length = packets.Length - 1; // the separators
        foreach (var packet in packets.Span)
        {
            length += EngineIoCodec.IsQueuedBinary(packet) ? 1 + Base64.GetMaxEncodedToUtf8Length(packet.Length - 1) : packet.Length;
        }

        response.ContentLength = length;
        var writer = response.BodyWriter;
        var first = true;
        foreach (var packet in packets.Span)
        {
            if (!first)
            {
                writer.Write([(byte)EngineIoCodec.RecordSeparator]);
            }

            first = false;
            if (EngineIoCodec.IsQueuedBinary(packet))
            {
                var encoded = writer.GetSpan(1 + Base64.GetMaxEncodedToUtf8Length(packet.Length - 1));
                encoded[0] = (byte)EngineIoCodec.BinaryPrefix;
                Base64.EncodeToUtf8(packet.AsSpan(1), encoded[1..], out _, out var bytesWritten);
                writer.Advance(1 + bytesWritten);
            }
            else
            {
                writer.Write(packet);
            }
        }

        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ReceiveAsync(HttpContext context, EngineIoSession session, TransportRequest request)
    {
        if (session.IsUpgraded)
        {
            throw new EngineIoException(EngineIoException.BadRequest, "The session was upgraded to a WebSocket.");
        }

        if (!session.BeginPost())
        {
            throw new EngineIoException(EngineIoException.BadRequest, "A second POST while one was in flight: the session was closed.");
        }

        try
        {
            var body = await ReadBodyAsync(context.Request, session).ConfigureAwait(false);
            var problem = await session.ReceivePayloadAsync(body, context.RequestAborted).ConfigureAwait(false);
            if (problem is not null)
            {
                LogPayloadNotHandled(session.Id, problem);
            }
        }
        catch (InvalidPayloadException exception)
        {
            // Any malformed packet ends the session (docs/protocol-v5.md §2.1); the session logged why.
            session.End(SessionEndReason.Error);
            throw new EngineIoException(EngineIoException.BadRequest, exception.Message);
        }
        finally
        {
            session.EndPost();
        }

        AddCorsHeaders(context);
        await OkAnswer.WriteAsync(context, "text/html").ConfigureAwait(false);
    }

    /// <summary>Reads a POST body of at most maxPayload bytes as strict UTF-8; a larger or invalid one ends the session.</summary>
    private static async Task<string> ReadBodyAsync(HttpRequest request, EngineIoSession session)
    {
        try
        {
            return await RequestBody.ReadAsync(request, session.MaxPayload, static (body, length) => StrictUtf8.GetString(body, 0, length)).ConfigureAwait(false);
        }
        catch (TransportException)
        {
            session.End(SessionEndReason.Error); // over maxPayload
            throw;
        }
        catch (DecoderFallbackException)
        {
            session.End(SessionEndReason.Error);
            throw new EngineIoException(EngineIoException.BadRequest, "The body is not valid UTF-8.");
        }
    }

    private static Task PreflightAsync(HttpContext context)
    {
        AddCorsHeaders(context);
        var headers = context.Response.Headers;
        var requestHeaders = context.Request.Headers;
        headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
        if (!StringValues.IsNullOrEmpty(requestHeaders.AccessControlRequestHeaders))
        {
            headers.AccessControlAllowHeaders = requestHeaders.AccessControlRequestHeaders;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>CORS for a page of an allowed origin (the dispatcher refused the others): the Origin echoed, with
    /// credentials, as node's <c>cors: { origin, credentials: true }</c>.</summary>
    public static void AddCorsHeaders(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origin))
        {
            return;
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowCredentials = "true";
        headers.Vary = "Origin";
    }

    [LoggerMessage(150, LogLevel.Trace, "Poll of Engine.IO session {SessionId} answered with {Count} packets.")]
    private partial void LogPollAnswered(string sessionId, int count);

    [LoggerMessage(151, LogLevel.Debug, "Engine.IO session {SessionId} posted a payload that was not handled: {Problem}")]
    private partial void LogPayloadNotHandled(string sessionId, string problem);
}
