using System.Globalization;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Broadcasting;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Server;

/// <summary>
/// Connection state recovery (docs/protocol-v5.md §2.3, socket.io's <c>connectionStateRecovery</c>): a Socket.IO 5
/// socket whose connection was lost is suspended (<see cref="TrySuspend"/>), and a CONNECT that names its private
/// id within the window restores it (<see cref="TryRestoreSocket"/>): same socket, no second OnConnect.
/// </summary>
internal sealed partial class SocketIoServer
{
    public bool TrySuspend(Session socket)
    {
        var recovery = broadcaster.Recovery;
        if (!recovery.Enabled || recovery.Stopping || stopping || !socket.TrySuspend())
        {
            return false;
        }

        recovery.Suspend(socket);
        return true;
    }

    public Session? TryRestoreSocket(EngineIoSession engine, string nsp, JObject auth)
    {
        var recovery = broadcaster.Recovery;
        if (!recovery.Enabled || stopping || auth["pid"] is not JValue { Type: JTokenType.String, Value: string pid }
            || recovery.Take(pid) is not { } socket)
        {
            return null;
        }

        long? after = auth["offset"] switch
        {
            null or JValue { Type: JTokenType.Null or JTokenType.Undefined } => socket.RecoveryBaseline,
            JValue { Type: JTokenType.String, Value: string text } when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (string.Equals(socket.Namespace, nsp, StringComparison.Ordinal) && after is { } offset && broadcaster.TryRestore(socket, engine, offset))
        {
            return socket;
        }

        // Too late (the sends it missed are no longer recorded) or not its namespace: the client gets a new socket, so
        // this one will never come back; it ends now, with its teardown events.
        socket.EndFromEngine(SessionEndReason.Normal);
        return null;
    }

    /// <summary>The CONNECT payload without the ids socket.io-client adds for recovery: the app's auth only.</summary>
    private static JObject? WithoutRecoveryIds(JObject? auth)
    {
        if (auth is null || (!auth.ContainsKey("pid") && !auth.ContainsKey("offset")))
        {
            return auth;
        }

        var copy = (JObject)auth.DeepClone();
        copy.Remove("pid");
        copy.Remove("offset");
        return copy;
    }
}
