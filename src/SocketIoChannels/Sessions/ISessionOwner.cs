namespace SocketIoChannels.Sessions;

/// <summary>What a session tells the store it lives in.</summary>
internal interface ISessionOwner
{
    /// <summary>The session ended (any reason); called once.</summary>
    void OnEnded(Session session);

    /// <summary>The session's outbound queue was full and it was dropped.</summary>
    void OnSlowConsumer(Session session);

    /// <summary>The Socket.IO 5 socket was suspended (it lost its connection and waits for its client to come back):
    /// from now on it has a deadline of its own to sweep.</summary>
    void OnSuspended(Session socket)
    {
    }

    /// <summary>The suspended Socket.IO 5 socket came back on a new connection: its Engine.IO session keeps time
    /// for it again.</summary>
    void OnResumed(Session socket)
    {
    }
}
