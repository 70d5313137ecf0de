using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Transports;

/// <summary>
/// The Engine.IO 4 WebSocket (docs/protocol-v5.md §1.3, §1.5): without a sid it opens a session of its own; with the
/// sid of a polling session it is the upgrade: <c>2probe</c> is answered <c>3probe</c>, a held GET gets a noop, and
/// once the client sends <c>5</c> the session moves onto this WebSocket. A second WebSocket for the same sid is
/// closed. The connection runs on <see cref="WebSocketConnection"/> with <see cref="Rfc6455Framing"/> in its
/// Engine.IO form: one packet per message, binary frames for binary packets.
/// </summary>
internal sealed partial class EngineIoWebSocketTransport
{
    private static readonly byte[] ProbeAnswer = EngineIoCodec.QueuedText(EngineIoPacketType.Pong, "probe");
    private readonly EngineIoSessionStore store;
    private readonly ILogger<EngineIoWebSocketTransport> logger;

    public EngineIoWebSocketTransport(EngineIoSessionStore store, ILogger<EngineIoWebSocketTransport> logger)
    {
        this.store = store;
        this.logger = logger;
    }

    /// <summary>Refuses a request that is no WebSocket upgrade or names an unknown sid by throwing
    /// <see cref="EngineIoException"/> at once (not from the returned task), then serves the WebSocket. The caller
    /// handles the refusal without an async frame of its own around the connection: an idle connection keeps every
    /// suspended frame above its loops for its whole life.</summary>
    public Task ProcessRequestAsync(HttpContext context, TransportRequest request, string? sid)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new EngineIoException(EngineIoException.BadRequest, "transport=websocket needs a WebSocket upgrade request.");
        }

        EngineIoSession? upgrading = null;
        if (sid is not null)
        {
            upgrading = store.Find(sid) ?? throw new EngineIoException(EngineIoException.UnknownSid, "No session has this sid.");
        }

        return ServeAsync(context, request, upgrading);
    }

    // The one async frame of the transport for the connection's life.
    private async Task ServeAsync(HttpContext context, TransportRequest request, EngineIoSession? upgrading)
    {
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(WebSocketAccept.Context).ConfigureAwait(false);
            // Through the coalescing stream when the middleware upgraded through it (HTTP/1.1): a batch in one write.
            var coalescing = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>() as CoalescingUpgradeStream;
            var framing = new Rfc6455Framing(socket, context, store.Timings.MaxPayload, engineIo: true, coalescing is { IsUpgraded: true } ? coalescing : null);
            if (upgrading is null)
            {
                var session = store.Create(EngineIoSession.WebSocketTransportName, request.Snapshot(context), request.SessionStarter);
                await WebSocketConnection.RunAsync(framing, session, request, logger).ConfigureAwait(false);
                return;
            }

            if (!upgrading.TryBeginUpgrade())
            {
                LogUpgradeRefused(upgrading.Id, "the session has a WebSocket already");
                await framing.SendCloseAsync(WebSocketCloseStatus.PolicyViolation, "The session has a WebSocket already.").ConfigureAwait(false);
                return;
            }

            if (await ProbeAsync(framing, upgrading).ConfigureAwait(false) is { } failed)
            {
                upgrading.AbandonUpgrade();
                LogUpgradeRefused(upgrading.Id, failed);
                await framing.SendCloseAsync(WebSocketCloseStatus.PolicyViolation, "The upgrade failed: " + failed + ".").ConfigureAwait(false);
                return;
            }

            LogUpgraded(upgrading.Id);
            await WebSocketConnection.RunAsync(framing, upgrading, request, logger).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: control flow, not an error.
        }
    }

    /// <summary>The probe and the upgrade, within the upgrade timeout; returns what went wrong, or
    /// <see langword="null"/> once the client sent <c>5</c> and the session lives on this WebSocket.</summary>
    private async Task<string?> ProbeAsync(Rfc6455Framing framing, EngineIoSession session)
    {
        using var timeout = new CancellationTokenSource(store.Timings.UpgradeTimeout, store.Timings.TimeProvider);
        var probe = await framing.ReceiveAsync(framing.WaitAsync(timeout.Token), timeout.Token).ConfigureAwait(false);
        if (probe is not { Kind: WebSocketInboundKind.Text, Text: "2probe" })
        {
            return "the first message was not 2probe";
        }

        try
        {
            await framing.SendAsync(new[] { ProbeAnswer }, ProbeAnswer.Length).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
            return "the probe could not be answered";
        }

        session.ProbeAnswered();
        while (true)
        {
            var next = await framing.ReceiveAsync(framing.WaitAsync(timeout.Token), timeout.Token).ConfigureAwait(false);
            switch (next)
            {
                case { Kind: WebSocketInboundKind.Text, Text: "5" }:
                    session.CompleteUpgrade();
                    return null;
                case { Kind: WebSocketInboundKind.Text, Text: "6" }:
                    continue; // a noop the client may send while it waits for its polls to finish
                default:
                    return next.Kind == WebSocketInboundKind.Text ? "a packet other than 5 before the upgrade" : "the WebSocket closed before the upgrade";
            }
        }
    }

    [LoggerMessage(152, LogLevel.Debug, "Engine.IO session {SessionId} moved onto its WebSocket.")]
    private partial void LogUpgraded(string sessionId);

    [LoggerMessage(153, LogLevel.Debug, "A WebSocket for Engine.IO session {SessionId} was closed: {Reason}.")]
    private partial void LogUpgradeRefused(string sessionId, string reason);
}
