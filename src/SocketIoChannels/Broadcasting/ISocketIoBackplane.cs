namespace SocketIoChannels;

/// <summary>
/// Carries already-encoded frames between the servers ("nodes") of a cluster, so a send on one node reaches
/// sessions connected to the others. Register one implementation as a singleton (for example with
/// <c>AddStackExchangeRedis</c>); without one, SocketIoChannels delivers on this node only.
/// </summary>
/// <remarks>
/// The core serves local recipients first and then hands the backplane one <see cref="BackplaneMessage"/> per send:
/// "deliver this frame to everyone / some channels / a session, from node N". A backplane delivers what it receives
/// to <see cref="ISocketIoBackplaneReceiver.Receive"/> on at least every node that declared interest (it may deliver
/// to others too; the sending node's own messages are ignored by the core). Messages one node publishes must reach
/// every other node in the order they were published, whatever their targets: the core publishes in the order it
/// served its own sessions, so every recipient sees the same order. The core tells the backplane which interests this node has through counted
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

    /// <summary>Publishes a message once. Returns how many other nodes with a recipient for it received it (0 when
    /// none did), or throws when the backplane could not publish it (after logging and counting the failure
    /// itself). The publish takes its place in this node's order when the call is made, not when it is
    /// awaited.</summary>
    Task<long> PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default);

    /// <summary>Publishes a message once, with no count and without waiting: it takes its place in this node's
    /// order when the call is made. Must not block or throw; a failure is logged and counted by the backplane.
    /// The default calls <see cref="PublishAsync"/> and observes its failure.</summary>
    void Publish(BackplaneMessage message) =>
        PublishAsync(message).ContinueWith(static task => _ = task.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Throws, before anything is sent, when <paramref name="message"/> cannot cross this backplane (for
    /// example, a frame over its size limit); the exception names the limit. The default accepts every message.</summary>
    void ValidateMessage(BackplaneMessage message)
    {
    }

    /// <summary>Completes once the interests declared so far (<see cref="ActivateChannel"/>,
    /// <see cref="SessionStarted"/>, ...) have been made visible to the other nodes' counts, or an attempt to do so
    /// failed (it is retried in the background). The core awaits it after a client's subscribe, before the
    /// OnSubscribe event, so a send from any node counts that subscriber from then on. The default completes at
    /// once.</summary>
    Task WhenInterestsPublishedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Without any I/O: how many other nodes this node knows to have a recipient for
    /// <paramref name="message"/> (a subscriber of one of its channels, any session, or the addressed session's
    /// node alive), from the presence the backplane keeps. The synchronous sends use it to decide
    /// <see cref="NoSocketException"/> without waiting. The default, for a backplane that keeps no presence, is 1
    /// (someone may receive it).</summary>
    int CountKnownRecipientNodes(BackplaneMessage message) => 1;

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
