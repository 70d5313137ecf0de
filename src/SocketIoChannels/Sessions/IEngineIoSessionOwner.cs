namespace SocketIoChannels.Sessions;

/// <summary>What an Engine.IO session tells the store it lives in.</summary>
internal interface IEngineIoSessionOwner
{
    /// <summary>The session ended (any reason); called once.</summary>
    void OnEnded(EngineIoSession session);

    /// <summary>The session's outbound queue was full and it was dropped.</summary>
    void OnSlowConsumer(EngineIoSession session);

    /// <summary>No CONNECT came within the connect timeout: the session ends.</summary>
    void OnConnectTimeout(EngineIoSession session);

    /// <summary>The client sent a packet that breaks the protocol: the session ends.</summary>
    void OnMalformed(EngineIoSession session, string problem);

    /// <summary>The client sent something the session ignores (or refuses without ending).</summary>
    void OnIgnored(EngineIoSession session, string what);
}
