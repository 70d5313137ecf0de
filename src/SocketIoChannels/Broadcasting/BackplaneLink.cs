using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// This node's tie to the optional <see cref="ISocketIoBackplane"/>: its node id, the hand-off of published
/// messages (in the background, or with a bounded wait where a caller needs the count), and the counted interest
/// calls. Without a backplane every member is a cheap no-op and sends stay on this node.
/// </summary>
internal sealed partial class BackplaneLink
{
    /// <summary>How long a synchronous send with no local recipient waits for the backplane to report whether
    /// another node received it.</summary>
    public static readonly TimeSpan SyncPublishTimeout = TimeSpan.FromSeconds(5);

    private readonly ISocketIoBackplane? backplane;
    private readonly ILogger<BackplaneLink> logger;
    private readonly Action<Task<long>> observe;

    public BackplaneLink(SessionStore sessions, IEnumerable<ISocketIoBackplane> backplanes, ILogger<BackplaneLink> logger)
    {
        backplane = backplanes.LastOrDefault();
        this.logger = logger;
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        NodeId = Convert.ToHexStringLower(bytes);
        observe = task => LogPublishFailed(task.Exception!.GetBaseException().Message);
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

    /// <summary>Publishes without waiting. A failure was logged and counted by the backplane; here it is only
    /// observed, so it never reaches the caller.</summary>
    public void Publish(BackplaneMessage message)
    {
        if (backplane is null)
        {
            return;
        }

        Task<long> publish;
        try
        {
            publish = backplane.PublishAsync(message);
        }
        catch (Exception exception)
        {
            LogPublishFailed(exception.Message);
            return;
        }

        if (!publish.IsCompletedSuccessfully)
        {
            publish.ContinueWith(observe, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Publishes and waits up to <see cref="SyncPublishTimeout"/> for the number of other nodes that
    /// received it; throws when the backplane failed or did not answer in time.</summary>
    public long PublishAndWait(BackplaneMessage message)
    {
        var publish = backplane!.PublishAsync(message);
        try
        {
            if (publish.Wait(SyncPublishTimeout))
            {
                return publish.Result;
            }
        }
        catch (AggregateException exception)
        {
            ExceptionDispatchInfo.Throw(exception.GetBaseException());
        }

        publish.ContinueWith(observe, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        throw new TimeoutException($"The backplane did not confirm the publish within {SyncPublishTimeout.TotalSeconds:0} s.");
    }

    public Task<long> PublishAsync(BackplaneMessage message, CancellationToken cancellationToken) =>
        backplane!.PublishAsync(message, cancellationToken);

    public void ActivateChannel(string channel) => backplane?.ActivateChannel(channel);

    public void DeactivateChannel(string channel) => backplane?.DeactivateChannel(channel);

    public void SessionStarted() => backplane?.SessionStarted();

    public void SessionEnded() => backplane?.SessionEnded();

    [LoggerMessage(400, LogLevel.Information, "Scaling out with the {Backplane} backplane as node {NodeId}.")]
    private partial void LogStarting(string backplane, string nodeId);

    [LoggerMessage(401, LogLevel.Debug, "A send was delivered on this node but not handed to the backplane: {Reason}")]
    private partial void LogPublishFailed(string reason);
}
