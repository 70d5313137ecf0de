using SocketIoChannels.Channels;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// Fan-out on this node: every send encodes its frame once and hands the same bytes to each recipient's bounded
/// queue with a non-blocking write; a full queue drops that recipient, never the broadcast. With a backplane,
/// local recipients are served first and the same frame is then published once for the other nodes.
/// </summary>
internal sealed partial class SocketIoBroadcaster : ISocketIoBroadcaster
{
    private readonly SessionStore sessions;
    private readonly ChannelRegistry<Session> channels;

    public SocketIoBroadcaster(SessionStore sessions, ChannelRegistry<Session> channels, BackplaneLink backplane)
    {
        this.sessions = sessions;
        this.channels = channels;
        Backplane = backplane;
    }

    public BackplaneLink Backplane { get; }

    public int SessionCount => sessions.Count;

    public int CountSubscribers(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channels.Count(channel);
    }

    public int Broadcast(object? message)
    {
        var frame = FrameCodec.EncodeFrame(message);
        var delivered = ToAll(frame, except: null);
        return Backplane.Enabled
            ? PublishOrWait(delivered, BackplaneMessage.ToAll(Backplane.NodeId, frame), NoClients)
            : delivered > 0 ? delivered : throw new NoSocketException(NoClients);
    }

    public int BroadcastChannel(object? message, string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var frame = FrameCodec.EncodeFrame(message);
        var delivered = ToChannel(frame, channel, except: null);
        return Backplane.Enabled
            ? PublishOrWait(delivered, BackplaneMessage.ToChannel(Backplane.NodeId, channel, frame), NoClientsOn(channel))
            : delivered > 0 ? delivered : throw new NoSocketException(NoClientsOn(channel));
    }

    public void Send(string sessionId, object? message)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var session = sessions.Find(sessionId);
        if (session is null && RemoteNodeOf(sessionId) is { } node)
        {
            PublishOrWait(0, BackplaneMessage.ToSession(Backplane.NodeId, sessionId, node, FrameCodec.EncodeFrame(message)), NoSession(sessionId));
            return;
        }

        if (session is null)
        {
            throw new NoSocketException(NoSession(sessionId));
        }

        if (!session.TryEnqueue(FrameCodec.EncodeFrame(message)))
        {
            throw new NoSocketException("The socket with the session ID " + sessionId + " has ended"
                + (session.EndReason == SessionEndReason.SlowConsumer ? " as a slow consumer: its queue was full." : "."));
        }
    }

    /// <summary>Queues a frame for every live session but <paramref name="except"/>.</summary>
    public int ToAll(byte[] frame, Session? except)
    {
        var delivered = 0;
        foreach (var session in sessions.All)
        {
            if (!ReferenceEquals(session, except) && session.TryEnqueue(frame))
            {
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>Queues a frame for every subscriber of one channel but <paramref name="except"/>.</summary>
    public int ToChannel(byte[] frame, string channel, Session? except)
    {
        var delivered = 0;
        foreach (var session in channels.GetSubscribers(channel))
        {
            if (!ReferenceEquals(session, except) && session.TryEnqueue(frame))
            {
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>Queues a frame once for every subscriber of any of <paramref name="channelNames"/> but
    /// <paramref name="except"/> (a peer in two of them still gets it once).</summary>
    public int ToChannels(byte[] frame, IReadOnlyList<string> channelNames, Session? except)
    {
        if (channelNames.Count == 1)
        {
            return ToChannel(frame, channelNames[0], except);
        }

        var seen = new HashSet<Session>(ReferenceEqualityComparer.Instance);
        var delivered = 0;
        foreach (var channel in channelNames)
        {
            foreach (var session in channels.GetSubscribers(channel))
            {
                if (!ReferenceEquals(session, except) && seen.Add(session) && session.TryEnqueue(frame))
                {
                    delivered++;
                }
            }
        }

        return delivered;
    }
}
