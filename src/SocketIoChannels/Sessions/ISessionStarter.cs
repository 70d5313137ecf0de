using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Sessions;

/// <summary>Starts the session of a new connection (the server, seen from the transports, which must not depend
/// on it).</summary>
internal interface ISessionStarter
{
    /// <summary>Starts a session on <paramref name="transport"/>; <see langword="null"/> while the host is stopping.</summary>
    Session? StartSession(string transport, SocketIoRequest request);

    /// <summary>Starts a Socket.IO 5 socket in <paramref name="nsp"/> of <paramref name="engine"/> (its CONNECT
    /// arrived, with the payload <paramref name="auth"/>); <see langword="null"/> while the host is stopping. The
    /// server loop answers the CONNECT with <see cref="Session.AcceptConnect"/> or <see cref="Session.RefuseConnect"/>
    /// once OnConnect ran.</summary>
    Session? StartSocket(EngineIoSession engine, string nsp, JObject? auth);

    /// <summary>Connection state recovery: restores the suspended socket whose private id <paramref name="auth"/>
    /// names (<c>{"pid":…,"offset":…}</c>) on <paramref name="engine"/>, with what it missed. <see langword="null"/>
    /// when recovery is off or the socket cannot be recovered (then a new socket is started).</summary>
    Session? TryRestoreSocket(EngineIoSession engine, string nsp, JObject auth) => null;

    /// <summary>Connection state recovery: keeps <paramref name="socket"/>, whose connection was lost, for its
    /// client to come back. <see langword="false"/> when it is not kept (then it ends).</summary>
    bool TrySuspend(Session socket) => false;

    /// <summary>Whether a handler class serves <paramref name="nsp"/>: a CONNECT to another namespace is refused
    /// with CONNECT_ERROR "Invalid namespace".</summary>
    bool HasNamespace(string nsp);
}
