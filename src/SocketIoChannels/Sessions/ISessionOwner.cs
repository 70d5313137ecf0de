namespace SocketIoChannels.Sessions;

/// <summary>What a session tells the store it lives in.</summary>
internal interface ISessionOwner
{
    /// <summary>The session ended (any reason); called once.</summary>
    void OnEnded(Session session);

    /// <summary>The session's outbound queue was full and it was dropped.</summary>
    void OnSlowConsumer(Session session);
}
