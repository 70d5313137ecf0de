using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// This node's tie to the optional <see cref="ISocketIoBackplane"/>: its node id, the hand-off of published
/// messages (never waiting on the synchronous paths), and the counted interest calls. Without a backplane every member is a cheap no-op and sends stay on this node.
/// </summary>
internal sealed partial class BackplaneLink
{
    private readonly ISocketIoBackplane? backplane;
    private readonly ILogger<BackplaneLink> logger;

    public BackplaneLink(SessionStore sessions, IEnumerable<ISocketIoBackplane> backplanes, ILogger<BackplaneLink> logger)
    {
        backplane = backplanes.LastOrDefault();
        this.logger = logger;
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        NodeId = Convert.ToHexStringLower(bytes);
        if (backplane is not null)
        {
            // A session id starts with its node's id, so a send to it from any node is routed to that one node
            // (no per-session state in the backplane); the other 96 bits stay random.
            sessions.IdPrefix = NodeId;
        }
    }

    /// <summary>This node's id: 8 lower-case hex digits, random per process start.</summary>
    public string NodeId { get; }

    public ISocketIoBackplane? Backplane => backplane;

    public bool Enabled => backplane is not null;

    /// <summary>The node a session id belongs to, or <see langword="null"/> when the id has no node part.</summary>
    public static string? NodeOf(string sessionId) => sessionId.Length == 32 ? sessionId[..8] : null;

    public Task StartAsync(ISocketIoBackplaneReceiver receiver, CancellationToken cancellationToken)
    {
        if (backplane is null)
        {
            return Task.CompletedTask;
        }

        LogStarting(backplane.GetType().Name, NodeId);
        return backplane.StartAsync(NodeId, receiver, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => backplane?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Publishes without waiting or counting; the message takes its place in this node's publish order
    /// now. A failure was logged and counted by the backplane; here it is only observed, so it never reaches the
    /// caller.</summary>
    public void Publish(BackplaneMessage message)
    {
        try
        {
            backplane?.Publish(message);
        }
        catch (Exception exception)
        {
            LogPublishFailed(exception.Message);
        }
    }

    /// <summary>Publishes and reports how many other nodes with a recipient received it; the message takes its
    /// place in this node's publish order now, the count comes later.</summary>
    public Task<long> PublishAsync(BackplaneMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return backplane!.PublishAsync(message, cancellationToken);
        }
        catch (Exception exception)
        {
            return Task.FromException<long>(exception);
        }
    }

    /// <summary>Throws when the backplane cannot carry <paramref name="message"/> (for example, over its size
    /// limit), before anything is sent.</summary>
    public void Validate(BackplaneMessage message) => backplane?.ValidateMessage(message);

    /// <summary>How many other nodes are known, without any I/O, to have a recipient for
    /// <paramref name="message"/>; 0 when the backplane is not connected.</summary>
    public int CountKnownRecipientNodes(BackplaneMessage message) =>
        backplane is { IsConnected: true } connected ? Math.Max(0, connected.CountKnownRecipientNodes(message)) : 0;

    public bool IsConnected => backplane?.IsConnected == true;

    /// <summary>Completes once the interests declared so far are visible to the other nodes' counts (or an
    /// attempt failed); at once without a backplane.</summary>
    public Task WhenInterestsPublishedAsync(CancellationToken cancellationToken = default) =>
        backplane?.WhenInterestsPublishedAsync(cancellationToken) ?? Task.CompletedTask;

    public void ActivateChannel(string channel) => backplane?.ActivateChannel(channel);

    public void DeactivateChannel(string channel) => backplane?.DeactivateChannel(channel);

    public void SessionStarted() => backplane?.SessionStarted();

    public void SessionEnded() => backplane?.SessionEnded();

    [LoggerMessage(400, LogLevel.Information, "Scaling out with the {Backplane} backplane as node {NodeId}.")]
    private partial void LogStarting(string backplane, string nodeId);

    [LoggerMessage(401, LogLevel.Debug, "A send was delivered on this node but not handed to the backplane: {Reason}")]
    private partial void LogPublishFailed(string reason);
}
