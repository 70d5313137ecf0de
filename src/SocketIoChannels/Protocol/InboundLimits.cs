namespace SocketIoChannels.Protocol;

/// <summary>The limits on what one client may send (built from the options in the DI setup).</summary>
internal sealed record InboundLimits(int MaxFramesPerPayload, int MaxChannelNameLength, int MaxChannelsPerSession)
{
    /// <summary>The defaults of the options.</summary>
    public static InboundLimits Default { get; } = new(1000, 256, 100);
}
