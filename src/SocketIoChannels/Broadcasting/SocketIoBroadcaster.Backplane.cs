using System.Runtime.InteropServices;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>The cluster half of the broadcaster: publishing after local delivery, the async sends that count
/// remote recipients, and delivery of what other nodes published.</summary>
internal sealed partial class SocketIoBroadcaster : ISocketIoBackplaneReceiver
{
    private const string NoClients = "There are no clients.";
    private const string Unreachable = " (none on this server, and the backplane could not be reached to try the others)";

    public async Task<int> BroadcastAsync(object? message, CancellationToken cancellationToken = default)
    {
        var frame = FrameCodec.EncodeFrame(message);
        var delivered = ToAll(frame, except: null);
        return Backplane.Enabled
            ? await PublishAndCountAsync(delivered, BackplaneMessage.ToAll(Backplane.NodeId, frame), NoClients, cancellationToken).ConfigureAwait(false)
            : delivered > 0 ? delivered : throw new NoSocketException(NoClients);
    }

    public async Task<int> BroadcastChannelAsync(object? message, string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var frame = FrameCodec.EncodeFrame(message);
        var delivered = ToChannel(frame, channel, except: null);
        return Backplane.Enabled
            ? await PublishAndCountAsync(delivered, BackplaneMessage.ToChannel(Backplane.NodeId, channel, frame), NoClientsOn(channel), cancellationToken)
                .ConfigureAwait(false)
            : delivered > 0 ? delivered : throw new NoSocketException(NoClientsOn(channel));
    }

    public async Task SendAsync(string sessionId, object? message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (sessions.Find(sessionId) is null && RemoteNodeOf(sessionId) is { } node)
        {
            var frame = FrameCodec.EncodeFrame(message);
            await PublishAndCountAsync(0, BackplaneMessage.ToSession(Backplane.NodeId, sessionId, node, frame), NoSession(sessionId), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        Send(sessionId, message);
    }

    public async Task<int> CountSubscribersAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var local = channels.Count(channel);
        if (Backplane.Backplane is not { } backplane)
        {
            return local;
        }

        var remote = await backplane.CountRemoteSubscribersAsync(channel, cancellationToken).ConfigureAwait(false);
        return (int)Math.Min(int.MaxValue, local + remote);
    }

    /// <summary>After <see cref="ToAll"/> from a session: the same frame for the other nodes.</summary>
    public void PublishToAll(byte[] frame)
    {
        if (Backplane.Enabled)
        {
            Backplane.Publish(BackplaneMessage.ToAll(Backplane.NodeId, frame));
        }
    }

    /// <summary>After <see cref="ToChannel"/> from a session: the same frame for the other nodes.</summary>
    public void PublishToChannel(byte[] frame, string channel)
    {
        if (Backplane.Enabled)
        {
            Backplane.Publish(BackplaneMessage.ToChannel(Backplane.NodeId, channel, frame));
        }
    }

    /// <summary>After <see cref="ToChannels"/> from a session: the same frame for the
    /// other nodes, once per channel, each skipping the subscribers of the channels before it.</summary>
    public void PublishToChannels(byte[] frame, IReadOnlyList<string> channelNames)
    {
        if (!Backplane.Enabled)
        {
            return;
        }

        for (var i = 0; i < channelNames.Count; i++)
        {
            var except = i == 0 ? null : channelNames.Take(i).ToArray();
            Backplane.Publish(BackplaneMessage.ToChannel(Backplane.NodeId, channelNames[i], frame, except));
        }
    }

    /// <summary>Delivers what another node published to this node's matching sessions.</summary>
    public int Receive(BackplaneMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.OriginNodeId == Backplane.NodeId)
        {
            return 0; // this node served its own sessions before publishing
        }

        // One array per received message, shared by every local recipient: the frame is never re-encoded.
        var frame = MemoryMarshal.TryGetArray(message.Frame, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : message.Frame.ToArray();
        switch (message.Target)
        {
            case BackplaneTarget.All:
                return ToAll(frame, except: null);
            case BackplaneTarget.Channel when message.ExceptSubscribersOf.Count == 0:
                return ToChannel(frame, message.Channel!, except: null);
            case BackplaneTarget.Channel:
                return ToChannelExcept(frame, message.Channel!, message.ExceptSubscribersOf);
            case BackplaneTarget.Session:
                return sessions.Find(message.SessionId!) is { } session && session.TryEnqueue(frame) ? 1 : 0;
            default:
                return 0;
        }
    }

    private int ToChannelExcept(byte[] frame, string channel, IReadOnlyList<string> exceptSubscribersOf)
    {
        var skip = new HashSet<Session>(ReferenceEqualityComparer.Instance);
        foreach (var other in exceptSubscribersOf)
        {
            skip.UnionWith(channels.GetSubscribers(other));
        }

        var delivered = 0;
        foreach (var session in channels.GetSubscribers(channel))
        {
            if (!skip.Contains(session) && session.TryEnqueue(frame))
            {
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>The other node a session id belongs to, or <see langword="null"/> when there is no backplane or the
    /// id is this node's.</summary>
    private string? RemoteNodeOf(string sessionId) =>
        Backplane.Enabled && BackplaneLink.NodeOf(sessionId) is { } node && node != Backplane.NodeId ? node : null;

    /// <summary>The synchronous sends: with local recipients, publish in the background and return their count;
    /// with none, wait (bounded) for the backplane to say how many other nodes received it.</summary>
    private int PublishOrWait(int delivered, BackplaneMessage message, string noOne)
    {
        if (delivered > 0)
        {
            Backplane.Publish(message);
            return delivered;
        }

        long remote;
        try
        {
            remote = Backplane.PublishAndWait(message);
        }
        catch (Exception exception)
        {
            throw new NoSocketException(noOne + Unreachable, exception);
        }

        return remote > 0 ? (int)Math.Min(int.MaxValue, remote) : throw new NoSocketException(noOne);
    }

    private async Task<int> PublishAndCountAsync(int delivered, BackplaneMessage message, string noOne, CancellationToken cancellationToken)
    {
        long remote;
        try
        {
            remote = await Backplane.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Local recipients got it: a backplane fault (logged and counted by the backplane) is not the caller's.
            return delivered > 0 ? delivered : throw new NoSocketException(noOne + Unreachable, exception);
        }

        var total = delivered + remote;
        return total > 0 ? (int)Math.Min(int.MaxValue, total) : throw new NoSocketException(noOne);
    }

    private static string NoClientsOn(string channel) => "There are no clients on the channel: " + channel;

    private static string NoSession(string sessionId) => "There is no socket with the session ID: " + sessionId;
}
