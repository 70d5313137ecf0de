namespace SocketIoChannels.Protocol;

/// <summary>The Socket.IO 5 packet types: the first character of a packet inside an Engine.IO message (docs/protocol-v5.md §2.1).</summary>
internal enum SocketIoPacketType : byte
{
    /// <summary><c>0</c>: joins a namespace (client, with an optional auth object) or accepts it (server, with the socket id).</summary>
    Connect = 0,
    /// <summary><c>1</c>: leaves a namespace.</summary>
    Disconnect = 1,
    /// <summary><c>2</c>: an event: a JSON array whose first element is the event name.</summary>
    Event = 2,
    /// <summary><c>3</c>: the answer to an event that carried an ack id: a JSON array of arguments.</summary>
    Ack = 3,
    /// <summary><c>4</c>: the server refuses a CONNECT: an object with <c>message</c> and optional <c>data</c>.</summary>
    ConnectError = 4,
    /// <summary><c>5</c>: an event with binary attachments, which follow as binary Engine.IO messages.</summary>
    BinaryEvent = 5,
    /// <summary><c>6</c>: an ack with binary attachments.</summary>
    BinaryAck = 6,
}
