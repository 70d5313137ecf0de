namespace SocketIoChannels.Sessions;

/// <summary>Why a session ended.</summary>
internal enum SessionEndReason : byte
{
    /// <summary>The client closed its connection (or stopped polling) and the close timeout passed.</summary>
    Normal,
    /// <summary>A heartbeat was not echoed in time.</summary>
    Timeout,
    /// <summary>The outbound queue was full: the client does not read fast enough.</summary>
    SlowConsumer,
    /// <summary>The host is stopping.</summary>
    AppShutdown,
    /// <summary>A handler threw and the options say to close the session, or the server disconnected it.</summary>
    Error,
    /// <summary>The application called Disconnect.</summary>
    Kicked,
}
