namespace SocketIoChannels.Protocol;

/// <summary>The outcome of decoding one payload.</summary>
internal enum DecodeResult : byte
{
    /// <summary>The whole payload was well formed.</summary>
    Ok,
    /// <summary>The framing was broken (a length that is not a number, too large, a missing <c>~m~</c>).</summary>
    Malformed,
    /// <summary>The payload held more frames than allowed.</summary>
    TooManyFrames,
}
