namespace SocketIoChannels;

/// <summary>
/// Carries already-encoded frames between the servers ("nodes") of a cluster, so a send on one node reaches
/// sessions connected to the others. Register one implementation as a singleton (for example with
/// <c>AddStackExchangeRedis</c>); without one, SocketIoChannels delivers on this node only.
/// </summary>
/// <remarks>
/// The core serves local recipients first and then hands the backplane one <see cref="BackplaneMessage"/> per send:
/// "deliver this frame to everyone / a channel / a session, from node N". A backplane delivers what it receives to
/// <see cref="ISocketIoBackplaneReceiver.Receive"/> on every node that declared interest, the sending node included
/// (the core ignores its own messages). The core tells the backplane which interests this node has through counted
/// calls: <see cref="ActivateChannel"/> once per local subscription and <see cref="DeactivateChannel"/> once per
/// local unsubscription, <see cref="SessionStarted"/> and <see cref="SessionEnded"/> once per local session.
/// A node needs to receive a channel's messages only while its count is above zero, and messages to everyone or to
/// one of its sessions only while it has sessions. None of these calls may block or throw. django-socketio had no
/// equivalent: all its state lived in one process.
/// </remarks>
public interface ISocketIoBackplane
{
    /// <summary><see langword="true"/> while the backplane can publish and receive. The health check reports
    /// Degraded while it is <see langword="false"/>.</summary>
    bool IsConnected { get; }

    /// <summary>Connects and starts delivering received messages to <paramref name="receiver"/>. Called once, when
    /// the host starts. Must not fail when the backing service is unreachable: keep retrying in the background.</summary>
    /// <param name="nodeId">This node's id (8 lower-case hex digits, random per process start). It also starts
    /// the id of every session of this node, which is how <see cref="BackplaneMessage.NodeId"/> is known.</param>
    /// <param name="receiver">Where received messages go.</param>
    /// <param name="cancellationToken">Ends a start that takes too long.</param>
    Task StartAsync(string nodeId, ISocketIoBackplaneReceiver receiver, CancellationToken cancellationToken);

    /// <summary>Stops receiving and releases the connection. Called once, when the host stops.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Publishes a message once. Returns how many other nodes received it (0 when none did), or throws
    /// when the backplane could not publish it (after logging and counting the failure itself).</summary>
    Task<long> PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default);

    /// <summary>One more local session subscribed to <paramref name="channel"/>.</summary>
    void ActivateChannel(string channel);

    /// <summary>One local session fewer is subscribed to <paramref name="channel"/>.</summary>
    void DeactivateChannel(string channel);

    /// <summary>One more session is alive on this node.</summary>
    void SessionStarted();

    /// <summary>One session fewer is alive on this node.</summary>
    void SessionEnded();

    /// <summary>How many sessions are subscribed to <paramref name="channel"/> on the other live nodes (entries of
    /// nodes that stopped refreshing them have expired).</summary>
    Task<long> CountRemoteSubscribersAsync(string channel, CancellationToken cancellationToken = default);
}
