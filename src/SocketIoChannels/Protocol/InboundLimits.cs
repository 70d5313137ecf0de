namespace SocketIoChannels.Protocol;

/// <summary>The limits on what one client may send, from <see cref="SocketIoOptions"/>.</summary>
internal sealed record InboundLimits(int MaxFramesPerPayload, int MaxChannelNameLength, int MaxChannelsPerSession)
{
    /// <summary>The defaults of <see cref="SocketIoOptions"/>.</summary>
    public static InboundLimits Default { get; } = new(1000, 256, 100);

    public static InboundLimits From(SocketIoOptions options) =>
        new(options.MaxFramesPerPayload, options.MaxChannelNameLength, options.MaxChannelsPerSession);
}
