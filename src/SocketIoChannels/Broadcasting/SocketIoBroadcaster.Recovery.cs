using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// Connection state recovery in the broadcaster: with it on, a send to one Socket.IO 5 socket takes its offset and
/// reaches the queue under the order lock, as a broadcast does, so offsets follow every queue's order; a restore
/// replays what the socket missed under the same lock, so no send falls between the replay and live traffic.
/// </summary>
internal sealed partial class SocketIoBroadcaster
{
    /// <summary>A send to one session (the socket's own <c>Emit</c>/<c>Send</c>, or <see cref="ToSession"/>).</summary>
    public bool ToOne(Session session, OutboundMessage message)
    {
        if (!Recovery.Enabled || session.Protocol == SessionProtocol.SocketIo06 || !message.IsRecoverable)
        {
            return session.TryEnqueue(message);
        }

        lock (order)
        {
            return session.TryEnqueue(Recovery.Record(message, new RecoveryRecord.Target(session.Namespace, SessionId: session.Id)));
        }
    }

    /// <summary>Restores suspended <paramref name="socket"/> on <paramref name="engine"/> with the sends it missed
    /// after <paramref name="offset"/>; <see langword="false"/> when some of them are no longer recorded.</summary>
    public bool TryRestore(Session socket, EngineIoSession engine, long offset)
    {
        lock (order)
        {
            return Recovery.Missed(socket, offset) is { } missed && socket.Resume(engine, missed);
        }
    }
}
