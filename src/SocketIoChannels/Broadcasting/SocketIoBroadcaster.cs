using SocketIoChannels.Channels;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// Fan-out on this node: every send encodes its frame once and hands the same bytes to each recipient's bounded
/// queue with a non-blocking write; a full queue drops that recipient, never the broadcast.
/// </summary>
internal sealed class SocketIoBroadcaster : ISocketIoBroadcaster
{
    private readonly SessionStore sessions;
    private readonly ChannelRegistry<Session> channels;
    private readonly SocketIoMetrics metrics;

    public SocketIoBroadcaster(SessionStore sessions, ChannelRegistry<Session> channels, SocketIoMetrics metrics)
    {
        this.sessions = sessions;
        this.channels = channels;
        this.metrics = metrics;
    }

    public int SessionCount => sessions.Count;

    public int CountSubscribers(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channels.Count(channel);
    }

    public int Broadcast(object? message)
    {
        var delivered = ToAll(FrameCodec.EncodeFrame(message), except: null);
        return delivered > 0 ? delivered : throw new NoSocketException("There are no clients.");
    }

    public int BroadcastChannel(object? message, string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var delivered = ToChannel(FrameCodec.EncodeFrame(message), channel, except: null);
        return delivered > 0 ? delivered : throw new NoSocketException("There are no clients on the channel: " + channel);
    }

    public void Send(string sessionId, object? message)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var session = sessions.Find(sessionId) ?? throw new NoSocketException("There is no socket with the session ID: " + sessionId);
        if (!session.TryEnqueue(FrameCodec.EncodeFrame(message)))
        {
            throw new NoSocketException("The socket with the session ID " + sessionId + " has ended"
                + (session.EndReason == SessionEndReason.SlowConsumer ? " as a slow consumer: its queue was full." : "."));
        }

        metrics.Delivered(1);
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

        metrics.Delivered(delivered);
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

        metrics.Delivered(delivered);
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

        metrics.Delivered(delivered);
        return delivered;
    }
}
