namespace SocketIoChannels.Transports;

/// <summary>
/// How one WebSocket flavour reads, in two steps so that an idle connection waits on the socket's own pending read
/// with no async frame of the flavour's in between: <see cref="WaitAsync"/> returns that read as it is (a zero-byte
/// read, holding no buffer), and <see cref="ReceiveAsync"/>, called once it completed, reads the rest of the message.
/// </summary>
/// <typeparam name="TWait">What the flavour's waiting read returns.</typeparam>
internal interface IWebSocketReceiver<TWait> : IWebSocketFraming
{
    /// <summary>Starts waiting for the next message: the socket's pending read itself, not wrapped. May fail (or
    /// throw) with what the connection throws: <see cref="ReceiveAsync"/> gets that failure and turns it into a
    /// result.</summary>
    ValueTask<TWait> WaitAsync(CancellationToken cancellationToken);

    /// <summary>Reads the next message, once <paramref name="waited"/> (what <see cref="WaitAsync"/> returned, or
    /// its failure) has completed. Never throws for what the client or the connection did: that is a result.</summary>
    ValueTask<WebSocketInbound> ReceiveAsync(ValueTask<TWait> waited, CancellationToken cancellationToken);
}
