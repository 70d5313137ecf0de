namespace SocketIoChannels;

/// <summary>
/// Connection state recovery for Socket.IO 5 clients (socket.io 4.6+ <c>connectionStateRecovery</c>): a socket
/// whose connection was lost comes back, within <see cref="MaxDisconnectionDuration"/>, with the same id, channels
/// and context, and every event it missed. Off by default, as in node.
/// </summary>
/// <remarks>
/// <para>django-socketio has no such feature (0.6 clients never get it); this is socket.io's
/// <c>connectionStateRecovery: { maxDisconnectionDuration }</c>.</para>
/// <para>With it on, the CONNECT answer carries a private id (<c>pid</c>) and every event the server sends without
/// an ack carries an offset as its last argument (socket.io-client strips it). The server keeps a record of its
/// recent sends, trimmed by age (<see cref="MaxDisconnectionDuration"/>) and by count
/// (<see cref="MaxRecordedSends"/>). Acks and server-to-client events that ask for an ack are not recorded: they
/// are lost with the connection, as in node.</para>
/// </remarks>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>How long a Socket.IO 5 socket whose connection was lost stays restorable
    /// (<c>maxDisconnectionDuration</c>). <see cref="TimeSpan.Zero"/> (the default) turns recovery off.</summary>
    /// <remarks>
    /// <para>A socket is kept when its connection was lost (the transport closed, a ping timed out); not when the
    /// client disconnected it (<c>socket.disconnect()</c>), broke the protocol, the server disconnected it, its queue
    /// overflowed, or the app stops.</para>
    /// <para>While it is kept the socket is suspended, not ended: it stays subscribed to its channels,
    /// <c>ISocket.Connected</c> stays <see langword="true"/>, and no OnDisconnect, OnUnsubscribe or OnFinish runs.
    /// Sends to it are recorded, not queued. When its client comes back in time it is restored: OnConnect does not
    /// run again (the socket never ended), and the client gets what it missed, then live traffic. When the window
    /// passes first, the socket ends as if its connection had just closed: OnDisconnect, OnUnsubscribe for each
    /// channel and OnFinish run then, and the returning client gets a new socket (<c>socket.recovered</c> is
    /// false).</para>
    /// </remarks>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.Zero;

    /// <summary>The most sends the server keeps for recovery (all sockets together); older ones are dropped first.
    /// A client that missed a dropped send is not recovered and gets a new socket. Default 10 000.</summary>
    /// <remarks>Not in socket.io (its in-memory adapter keeps every send of the window).</remarks>
    public int MaxRecordedSends { get; set; } = 10_000;

    /// <summary>Whether recovery is on (<see cref="MaxDisconnectionDuration"/> above zero).</summary>
    public bool Enabled => MaxDisconnectionDuration > TimeSpan.Zero;
}
