using System.Runtime.InteropServices;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>The cluster half of the broadcaster: the async sends that count remote recipients, and delivery of
/// what other nodes published.</summary>
internal sealed partial class SocketIoBroadcaster : ISocketIoBackplaneReceiver
{
    private const string NoClients = "There are no clients.";
    private const string Unreachable = " (none on this server, and the backplane could not be reached to try the others)";

    public async Task<int> BroadcastAsync(object? message, CancellationToken cancellationToken = default)
    {
        var frame = FrameCodec.EncodeFrame(message);
        var remote = Backplane.Enabled ? Checked(BackplaneMessage.ToAll(Backplane.NodeId, frame)) : null;
        var delivered = Deliver(frame, null, null, null, remote, counted: true, cancellationToken, out var count);
        return await CountAsync(delivered, count, NoClients, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> BroadcastChannelAsync(object? message, string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var frame = FrameCodec.EncodeFrame(message);
        var remote = Backplane.Enabled ? Checked(BackplaneMessage.ToChannel(Backplane.NodeId, channel, frame)) : null;
        var delivered = Deliver(frame, channel, null, null, remote, counted: true, cancellationToken, out var count);
        return await CountAsync(delivered, count, NoClientsOn(channel), cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(string sessionId, object? message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (sessions.Find(sessionId) is null && RemoteNodeOf(sessionId) is { } node)
        {
            var remote = Checked(BackplaneMessage.ToSession(Backplane.NodeId, sessionId, node, FrameCodec.EncodeFrame(message)));
            await CountAsync(0, Backplane.PublishAsync(remote, cancellationToken), NoSession(sessionId), cancellationToken).ConfigureAwait(false);
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

    /// <summary>Delivers what another node published to this node's matching sessions, in the order the
    /// backplane hands them over, under the same order lock as this node's own sends.</summary>
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
        int delivered;
        lock (order)
        {
            delivered = message.Target switch
            {
                BackplaneTarget.All => LocalToAll(frame, except: null),
                BackplaneTarget.Channel when message.Channels.Count == 1 && message.ExceptSubscribersOf.Count == 0 =>
                    LocalToChannel(frame, message.Channels[0], except: null),
                BackplaneTarget.Channel => LocalToChannels(frame, message.Channels, except: null, message.ExceptSubscribersOf),
                BackplaneTarget.Session => sessions.Find(message.SessionId!) is { } session && session.TryEnqueue(frame) ? 1 : 0,
                _ => 0,
            };
        }

        metrics.Delivered(delivered);
        return delivered;
    }

    /// <summary>The other node a session id belongs to, or <see langword="null"/> when there is no backplane or the
    /// id is this node's.</summary>
    private string? RemoteNodeOf(string sessionId) =>
        Backplane.Enabled && BackplaneLink.NodeOf(sessionId) is { } node && node != Backplane.NodeId ? node : null;

    /// <summary>The async sends' answer: local recipients plus the other nodes with a recipient that received
    /// it, as the backplane counted them.</summary>
    private static async Task<int> CountAsync(int delivered, Task<long>? count, string noOne, CancellationToken cancellationToken)
    {
        if (count is null)
        {
            return delivered > 0 ? delivered : throw new NoSocketException(noOne);
        }

        long remote;
        try
        {
            remote = await count.ConfigureAwait(false);
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
