namespace SocketIoChannels.Transports;

/// <summary>The kinds of <see cref="WebSocketInbound"/>.</summary>
internal enum WebSocketInboundKind
{
    Text,
    Binary,
    ClientClosed,
    Ended,
    ClosedByFraming,
    Invalid,
}
