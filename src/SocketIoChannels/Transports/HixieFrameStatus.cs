namespace SocketIoChannels.Transports;

/// <summary>What <see cref="HixieCodec.TryReadFrame"/> found at the front of the input.</summary>
internal enum HixieFrameStatus
{
    /// <summary>A whole text frame (<c>0x00</c> UTF-8 <c>0xFF</c>).</summary>
    Text,

    /// <summary>The input ends inside a frame: read more.</summary>
    NeedMore,

    /// <summary>The close frame <c>0xFF 0x00</c>.</summary>
    Close,

    /// <summary>Not a frame of the drafts, not UTF-8, or over the size limit.</summary>
    Invalid,
}
