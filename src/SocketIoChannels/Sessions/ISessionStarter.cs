namespace SocketIoChannels.Sessions;

/// <summary>Starts the session of a new connection (the server, seen from the transports, which must not depend
/// on it).</summary>
internal interface ISessionStarter
{
    /// <summary>Starts a session on <paramref name="transport"/>; <see langword="null"/> while the host is stopping.</summary>
    Session? StartSession(string transport, SocketIoRequest request);
}
