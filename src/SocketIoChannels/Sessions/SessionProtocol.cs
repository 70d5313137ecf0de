namespace SocketIoChannels.Sessions;

/// <summary>The wire protocol a session speaks to its client.</summary>
internal enum SessionProtocol : byte
{
    /// <summary>Socket.IO 0.6 (docs/protocol-0.6.md): the session is its own connection.</summary>
    SocketIo06,

    /// <summary>Socket.IO 5 over Engine.IO 4 (docs/protocol-v5.md): the session is one namespace socket of an
    /// Engine.IO session, which owns the connection.</summary>
    SocketIo5,
}
