using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Transports;

/// <summary>
/// The WebSockets of 2010 on the websocket and flashsocket URLs (docs/protocol-0.6.md §3.1, §3.2): hixie-76 (Flash's
/// web-socket-js and old browsers) and hixie-75, upgraded through Kestrel's <see cref="IHttpUpgradeFeature"/>. The
/// dispatcher sends a request here when <see cref="HixieHandshake.IsHixieRequest"/> says it is one. This class does
/// the handshake (<see cref="HixieHandshake"/>); the connection then runs on <see cref="WebSocketConnection"/> with
/// the drafts' framing (<see cref="HixieFraming"/>).
/// </summary>
internal sealed partial class HixieWebSocketTransport : ISocketIoTransport
{
    private static readonly TimeSpan Key3Timeout = TimeSpan.FromSeconds(10);
    private readonly ILogger<HixieWebSocketTransport> logger;
    private readonly TimeProvider timeProvider;

    public HixieWebSocketTransport(string name, TimeProvider timeProvider, ILogger<HixieWebSocketTransport> logger)
    {
        Name = name;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public string Name { get; }

    public async Task ProcessRequestAsync(HttpContext context, TransportRequest request)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is null || !upgrade.IsUpgradableRequest)
        {
            throw new TransportException(StatusCodes.Status400BadRequest, "The " + Name + " transport needs an upgradable HTTP/1.1 request (Connection: Upgrade).");
        }

        var req = context.Request;
        var draft76 = HixieHandshake.IsDraft76(req.Headers);
        uint key1 = 0, key2 = 0;
        if (draft76 && HixieHandshake.TryReadKeys(req.Headers, out key1, out key2) is { } badKey)
        {
            throw new TransportException(StatusCodes.Status400BadRequest, badKey);
        }

        var location = (req.IsHttps ? "wss://" : "ws://") + req.Host + req.PathBase + req.Path + req.QueryString;
        HixieHandshake.SetResponseHeaders(req.Headers, context.Response.Headers, location, draft76);

        // The drafts' status lines. Kestrel's UpgradeAsync sets "Switching Protocols" before it starts the response,
        // so the phrase is set again just before the status line is written.
        if (context.Features.Get<IHttpResponseFeature>() is { } responseFeature)
        {
            var reasonPhrase = HixieHandshake.ReasonPhrase(draft76);
            responseFeature.ReasonPhrase = reasonPhrase;
            context.Response.OnStarting(() =>
            {
                responseFeature.ReasonPhrase = reasonPhrase;
                return Task.CompletedTask;
            });
        }

        // The 101 goes out before key3 has to arrive (docs/protocol-0.6.md §3.1, for proxies that wait for it).
        await using var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        try
        {
            if (draft76 && !await AnswerChallengeAsync(reader, stream, key1, key2, context.RequestAborted).ConfigureAwait(false))
            {
                return;
            }

            await WebSocketConnection.RunAsync(new HixieFraming(stream, reader, context, request.MaxMessageSize), request, logger).ConfigureAwait(false);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> AnswerChallengeAsync(PipeReader reader, Stream stream, uint key1, uint key2, CancellationToken aborted)
    {
        using var timeout = new CancellationTokenSource(Key3Timeout, timeProvider);
        using var registration = aborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        try
        {
            var result = await reader.ReadAtLeastAsync(8, timeout.Token).ConfigureAwait(false);
            if (result.Buffer.Length < 8)
            {
                LogNoKey3(result.Buffer.Length);
                return false;
            }

            var key3 = result.Buffer.Slice(0, 8).ToArray();
            reader.AdvanceTo(result.Buffer.GetPosition(8));
            await stream.WriteAsync(HixieHandshake.ComputeAnswer(key1, key2, key3), aborted).ConfigureAwait(false);
            await stream.FlushAsync(aborted).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            LogNoKey3(0);
            return false;
        }
    }

    [LoggerMessage(136, LogLevel.Debug, "A hixie-76 handshake was dropped: the 8-byte key3 did not arrive (got {Length} bytes).")]
    private partial void LogNoKey3(long length);
}
