using System.Threading.Channels;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>What a 0.6 client sends: payloads decoded into commands for the session loop, heartbeat echoes handled
/// at once.</summary>
internal sealed partial class Session
{
    /// <summary>Takes the payload of one transport message (a WebSocket message, a POST's <c>data</c>): heartbeat
    /// echoes are handled at once, every other command is queued for the session loop in order. Waits when the
    /// loop is behind (<see cref="SessionTimings.MaxInboundPayloads"/> payloads or
    /// <see cref="SessionTimings.MaxInboundChars"/> of text wait for it): back-pressure on this client only, whose
    /// receive loop or POST waits, never an unbounded buffer. Throws <see cref="InvalidPayloadException"/> when the
    /// payload is malformed or over a limit: then none of it is used. Returns a problem when the session ended
    /// before the commands were queued.</summary>
    public ValueTask<string?> ReceiveAsync(string payload, bool normalizeNewlines, CancellationToken cancellationToken) =>
        ReceiveAsync(payload, normalizeNewlines, keepDecodedOnMalformed: false, cancellationToken);

    /// <summary>As <see cref="ReceiveAsync(string, bool, CancellationToken)"/>; with
    /// <paramref name="keepDecodedOnMalformed"/> (POSTs), broken framing keeps the frames before it and the returned
    /// problem says what was dropped.</summary>
    public async ValueTask<string?> ReceiveAsync(string payload, bool normalizeNewlines, bool keepDecodedOnMalformed, CancellationToken cancellationToken)
    {
        var parsed = ParsePayload(payload, normalizeNewlines, keepDecodedOnMalformed, out var dropped);
        if (parsed is not { } batch || inbound.TryWrite(batch))
        {
            return dropped;
        }

        // Full (or ended). While this client waits for its own backlog, the server reads nothing more from it: a
        // heartbeat echo it sent meanwhile sits unread behind this payload. Its echo timeout stops for that time
        // (see Tick) and starts again once the payload went in.
        lock (gate)
        {
            receivesWaiting++;
        }

        try
        {
            await inbound.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return "the session ended before its messages were handled";
        }
        finally
        {
            lock (gate)
            {
                receivesWaiting--;
                if (awaitingEcho)
                {
                    heartbeatSentAt = Math.Max(heartbeatSentAt, timings.Now());
                }
            }
        }

        return dropped;
    }

    /// <summary>Decodes a payload (all or nothing, see <see cref="InboundPayload"/>) and handles its heartbeat
    /// echoes. Returns its commands, or <see langword="null"/> when it has none. Synchronous, so that it can use
    /// this thread's <see cref="DecodeScratch"/> lists: a payload of one command allocates no list and no array.</summary>
    private InboundBatch? ParsePayload(string payload, bool normalizeNewlines, bool keepDecodedOnMalformed, out string? dropped)
    {
        var (frames, commands) = DecodeScratch.Rent();
        try
        {
            dropped = InboundPayload.Parse(payload, normalizeNewlines, timings.Limits, frames, commands, keepDecodedOnMalformed);
            if (Channels.TryClaim(commands, timings.Limits.MaxChannelsPerSession) is { } problem)
            {
                throw new InvalidPayloadException("Payload refused: " + problem + ".", overLimit: true);
            }

            foreach (var frame in frames)
            {
                if (frame.Kind == FrameKind.Heartbeat)
                {
                    OnHeartbeatEcho(frame.Text);
                }
            }

            return commands.Count > 0 ? InboundBatch.From(commands, payload.Length) : null;
        }
        finally
        {
            DecodeScratch.Return(frames, commands);
        }
    }

    private void OnHeartbeatEcho(string counterText)
    {
        lock (gate)
        {
            if (awaitingEcho && long.TryParse(counterText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var counter) && counter == heartbeatCounter)
            {
                awaitingEcho = false;
                heartbeatDueAt = timings.Now() + timings.HeartbeatInterval;
            }
        }
    }
}
