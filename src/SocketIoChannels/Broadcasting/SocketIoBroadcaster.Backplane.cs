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

    /// <summary>A send to every session of namespace <paramref name="nsp"/>, counting the other nodes that got it.</summary>
    public async Task<int> ToAllAsync(string nsp, OutboundMessage message, CancellationToken cancellationToken)
    {
        var remote = Backplane.Enabled ? Checked(Remote(BackplaneMessage.ToAll(Backplane.NodeId, Frame(nsp, message)), nsp, message)) : null;
        var delivered = Deliver(message, nsp, null, null, null, remote, counted: true, cancellationToken, out var count);
        return await CountAsync(delivered, count, NoClients, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A send to a channel of namespace <paramref name="nsp"/>, counting the other nodes that got it.</summary>
    public async Task<int> ToChannelAsync(string nsp, string channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var key = ChannelKeys.For(nsp, channel);
        var remote = Backplane.Enabled ? Checked(Remote(BackplaneMessage.ToChannel(Backplane.NodeId, key, Frame(nsp, message)), nsp, message)) : null;
        var delivered = Deliver(message, nsp, key, null, null, remote, counted: true, cancellationToken, out var count);
        return await CountAsync(delivered, count, NoClientsOn(channel), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A send to one session, waiting for the backplane when it lives on another node.</summary>
    public async Task ToSessionAsync(string sessionId, OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (sessions.Find(sessionId) is null && RemoteNodeOf(sessionId) is { } node)
        {
            var remote = Checked(Remote(BackplaneMessage.ToSession(Backplane.NodeId, sessionId, node, Frame(ChannelKeys.DefaultNamespace, message)),
                ChannelKeys.DefaultNamespace, message));
            await CountAsync(0, Backplane.PublishAsync(remote, cancellationToken), NoSession(sessionId), cancellationToken).ConfigureAwait(false);
            return;
        }

        ToSession(sessionId, message);
    }

    /// <summary>The subscribers of a channel key (see <see cref="ChannelKeys"/>) on every node.</summary>
    public async Task<int> CountSubscribersOfKeyAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var channel = key;
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

        // One array per received message, shared by every local 0.6 recipient: the frame is never re-encoded, and
        // the Socket.IO 5 form is built once, from the frame or the event data, when the first v5 socket needs it.
        var frame = MemoryMarshal.TryGetArray(message.Frame, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : message.Frame.ToArray();
        var outbound = OutboundMessage.FromRemote(frame,
            message.IsEvent ? System.Text.Encoding.UTF8.GetString(message.EventData.Span) : null,
            message.Attachments.Count == 0 ? null : message.Attachments.Select(attachment => attachment.ToArray()).ToArray());
        var nsp = message.Namespace;
        int delivered;
        lock (order)
        {
            // Offsets are this node's: a send from another node gets one here, as this node's own sends do.
            outbound = Recovery.Record(outbound, message.Target switch
            {
                BackplaneTarget.All => new RecoveryRecord.Target(nsp),
                BackplaneTarget.Channel => new RecoveryRecord.Target(nsp, Channels: message.Channels,
                    ExceptSubscribersOf: message.ExceptSubscribersOf.Count == 0 ? null : message.ExceptSubscribersOf),
                _ => new RecoveryRecord.Target(nsp, SessionId: message.SessionId),
            });
            delivered = message.Target switch
            {
                BackplaneTarget.All => LocalToAll(outbound, nsp, except: null),
                BackplaneTarget.Channel when message.Channels.Count == 1 && message.ExceptSubscribersOf.Count == 0 =>
                    LocalToChannel(outbound, nsp, message.Channels[0], except: null),
                BackplaneTarget.Channel => LocalToChannels(outbound, nsp, message.Channels, except: null, message.ExceptSubscribersOf),
                BackplaneTarget.Session => sessions.Find(message.SessionId!) is { } session && session.TryEnqueue(outbound) ? 1 : 0,
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
