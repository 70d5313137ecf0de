namespace SocketIoChannels.Protocol;

/// <summary>
/// Turns one transport message (a WebSocket message, a POST's <c>data</c>) into frames and commands under the
/// client limits, all or nothing: a payload that is malformed or over a limit throws
/// <see cref="InvalidPayloadException"/> and none of its commands run.
/// </summary>
internal static class InboundPayload
{
    /// <summary>Decodes <paramref name="payload"/> into <paramref name="frames"/> (heartbeats included) and
    /// <paramref name="commands"/> under <paramref name="limits"/> (the channel count per session is the
    /// session's to check). jsonp-polling POSTs (<paramref name="normalizeNewlines"/>) come from a textarea,
    /// where the browser turned every <c>\n</c> into <c>\r\n</c> (spec §3.6): when such a payload does not decode,
    /// it is decoded again with CR LF turned back into LF.</summary>
    public static void Parse(string payload, bool normalizeNewlines, InboundLimits limits,
        List<InboundFrame> frames, List<InboundCommand> commands)
    {
        var result = FrameCodec.Decode(payload, frames, limits.MaxFramesPerPayload, out var error);
        if (result == DecodeResult.Malformed && normalizeNewlines && payload.Contains('\r'))
        {
            var normalized = new List<InboundFrame>();
            var second = FrameCodec.Decode(payload.Replace("\r\n", "\n", StringComparison.Ordinal), normalized, limits.MaxFramesPerPayload, out var secondError);
            if (second != DecodeResult.Malformed)
            {
                frames.Clear();
                frames.AddRange(normalized);
                result = second;
                error = secondError;
            }
        }

        switch (result)
        {
            case DecodeResult.TooManyFrames:
                throw new InvalidPayloadException("Payload refused: " + error + ".", overLimit: true);
            case DecodeResult.Malformed:
                throw new InvalidPayloadException("Malformed payload: " + error + ".", overLimit: false);
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
    }
}
