namespace SocketIoChannels.Protocol;

/// <summary>The Engine.IO 4 packet types: the first character of every packet (docs/protocol-v5.md §1.3).</summary>
internal enum EngineIoPacketType : byte
{
    /// <summary><c>0</c>: the server's handshake, with a JSON object (sid, upgrades, pingInterval, pingTimeout, maxPayload).</summary>
    Open = 0,
    /// <summary><c>1</c>: ends the session, from either side.</summary>
    Close = 1,
    /// <summary><c>2</c>: the server's heartbeat (and <c>2probe</c> from a client testing a WebSocket upgrade).</summary>
    Ping = 2,
    /// <summary><c>3</c>: the client's heartbeat answer (and the server's <c>3probe</c>).</summary>
    Pong = 3,
    /// <summary><c>4</c>: a message: carries one Socket.IO packet, as text or as binary.</summary>
    Message = 4,
    /// <summary><c>5</c>: the client switches the session to the probed WebSocket.</summary>
    Upgrade = 5,
    /// <summary><c>6</c>: nothing; ends a pending poll during an upgrade.</summary>
    Noop = 6,
}
