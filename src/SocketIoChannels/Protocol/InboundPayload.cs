namespace SocketIoChannels.Protocol;

/// <summary>
/// Turns one transport message (a WebSocket message, a POST's <c>data</c>) into frames and commands under the
/// client limits, all or nothing: a payload that is malformed or over a limit throws
/// <see cref="InvalidPayloadException"/> and none of its commands run (a POST's broken framing keeps the frames
/// before it instead).
/// </summary>
internal static class InboundPayload
{
    /// <summary>Decodes <paramref name="payload"/> into <paramref name="frames"/> (heartbeats included) and
    /// <paramref name="commands"/> under <paramref name="limits"/> (the channel count per session is the
    /// session's to check). jsonp-polling POSTs (<paramref name="normalizeNewlines"/>) come from a textarea, where
    /// the browser turned every <c>\n</c> into <c>\r\n</c> (docs/protocol-0.6.md §3.6): such a frame is read again with the line
    /// breaks turned back, frame by frame. With <paramref name="keepDecodedOnMalformed"/> (POSTs, whose 0.6 clients
    /// cannot use an error status), broken framing keeps the frames before it, as the 0.6 decoder does (docs/protocol-0.6.md §1.5):
    /// the rest is dropped and described in the returned text. Limits still refuse the whole payload.</summary>
    public static string? Parse(string payload, bool normalizeNewlines, InboundLimits limits,
        List<InboundFrame> frames, List<InboundCommand> commands, bool keepDecodedOnMalformed = false)
    {
        string? dropped = null;
        var result = FrameCodec.Decode(payload, frames, limits.MaxFramesPerPayload, out var error);
        if (result == DecodeResult.Malformed && normalizeNewlines && payload.Contains('\r'))
        {
            // Not decodable as it is: read the textarea's line breaks back, frame by frame.
            var rewritten = new List<InboundFrame>();
            var second = FrameCodec.Decode(payload, rewritten, limits.MaxFramesPerPayload, textarea: true, out var secondError);
            if (second != DecodeResult.Malformed || rewritten.Count > frames.Count)
            {
                frames.Clear();
                frames.AddRange(rewritten);
                result = second;
                error = secondError;
            }
        }

        switch (result)
        {
            case DecodeResult.TooManyFrames:
                throw new InvalidPayloadException("Payload refused: " + error + ".", overLimit: true);
            case DecodeResult.Malformed when !keepDecodedOnMalformed:
                throw new InvalidPayloadException("Malformed payload: " + error + ".", overLimit: false);
            case DecodeResult.Malformed:
                dropped = $"Malformed payload: {error}; the {frames.Count} frames before it were used, the rest was dropped.";
                break;
        }

        var problems = ClientCommandParser.Parse(frames, commands);
        if (problems is not null)
        {
            throw new InvalidPayloadException("Malformed payload: " + problems[0] + ".", overLimit: false);
        }

        foreach (var command in commands)
        {
            if (command.Channel is { } channel && channel.Length > limits.MaxChannelNameLength)
            {
                throw new InvalidPayloadException(
                    $"Payload refused: a channel name may have at most {limits.MaxChannelNameLength} characters.", overLimit: true);
            }
        }

        return dropped;
    }
}
