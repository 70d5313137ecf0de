using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// The Redis backplane. Every node publishes all its messages, whatever their target, on one pub/sub channel
/// (<c>{prefix}bus</c>) that every node subscribes to once, at start: so each node's messages reach every other node
/// in the order they were published, a message to several channels is one message (each recipient gets it once),
/// and a new session or subscription never waits for a Redis SUBSCRIBE. Presence: a hash per node
/// (<c>{prefix}presence:{node}</c>) with its session count and its subscriber count per channel, with an expiry, and
/// a set of node ids; each change is announced on the bus too, so every node knows, without I/O, which others have
/// a recipient.
/// </summary>
/// <remarks>
/// This façade wires the parts: <see cref="RedisConnection"/> (connect, loss and return), <see cref="RedisPublisher"/>
/// (ordered publishing, size and pending limits), <see cref="PublishFailureLog"/> (rate-limited warnings),
/// <see cref="RedisBus"/> (the subscription) and <see cref="RedisPresence"/> (presence writes, refresh, counts).
/// </remarks>
internal sealed partial class RedisBackplane : ISocketIoBackplane, IAsyncDisposable, IDisposable
{
    private readonly RedisBackplaneOptions options;
    private readonly ILogger<RedisBackplane> logger;
    private readonly TimeProvider time;
    private readonly RedisPublisher publisher;
    private readonly RedisBus bus;
    private readonly CancellationTokenSource stopping = new();
    private RedisConnection? connection;
    private RedisNames? names;
    private RedisPresence? presence;
    private ISocketIoBackplaneReceiver? receiver;
    private Task? loops;

    public RedisBackplane(IOptions<RedisBackplaneOptions> options, ILogger<RedisBackplane> logger, IMeterFactory meterFactory, TimeProvider? time = null)
    {
        this.options = options.Value;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
        publisher = new RedisPublisher(this.options, new PublishFailureLog(logger, meterFactory, this.time));
        bus = new RedisBus(logger);
    }

    public bool IsConnected => connection?.IsConnected == true;

    public async Task StartAsync(string nodeId, ISocketIoBackplaneReceiver receiver, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentNullException.ThrowIfNull(receiver);
        this.receiver = receiver;
        names = new RedisNames(options.ChannelPrefix, nodeId);
        presence = new RedisPresence(options, names, logger, time);
        var live = await RedisConnection.ConnectAsync(options, nodeId, logger, cancellationToken).ConfigureAwait(false);
        connection = live;

        // Redis may have restarted empty, and announcements were missed meanwhile; the renewed subscription is checked.
        live.Restored += presence.Resync;
        live.Restored += bus.ConnectionRestored;

        // The subscription first (retried in the background until it carries this node's own probe back, then
        // watched), then this node's presence: when StartAsync returns with Redis reachable, this node receives every
        // message and the others know it. Announcements may have been missed before each subscription worked.
        var firstAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscribing = Task.Run(
            () => bus.RunAsync(live, names, OnMessage, firstAttempt, presence.Resync, options.PresenceRefreshInterval, stopping.Token),
            CancellationToken.None);
        await firstAttempt.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await presence.SyncOnceAsync(live).WaitAsync(cancellationToken).ConfigureAwait(false);
        loops = Task.WhenAll(subscribing, presence.RunAsync(live, stopping.Token));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        if (loops is not null)
        {
            await loops.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (connection is { } live && presence is not null)
        {
            await presence.RemoveAsync(live, cancellationToken).ConfigureAwait(false);
            await bus.UnsubscribeAsync().ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        if (Interlocked.Exchange(ref connection, null) is { } owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The container's synchronous disposal: the same path (closing a connection does not wait on the
    /// network when commands are not allowed to complete).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public void ValidateMessage(BackplaneMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        publisher.Validate(message);
    }

    public void Publish(BackplaneMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        publisher.Publish(connection, names!, message);
    }

    public Task<long> PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return names is null
            ? Task.FromException<long>(new InvalidOperationException("The Redis backplane has not started."))
            : publisher.PublishCountedAsync(connection, names, message, cancellationToken);
    }

    public int CountKnownRecipientNodes(BackplaneMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return presence?.View.CountRecipientNodes(message) ?? 0;
    }

    public Task WhenInterestsPublishedAsync(CancellationToken cancellationToken = default) =>
        presence?.WhenPublishedAsync(connection, cancellationToken) ?? Task.CompletedTask;

    public void ActivateChannel(string channel) => presence?.ActivateChannel(channel);

    public void DeactivateChannel(string channel) => presence?.DeactivateChannel(channel);

    public void SessionStarted() => presence?.SessionStarted();

    public void SessionEnded() => presence?.SessionEnded();

    public Task<long> CountRemoteSubscribersAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return connection is { } live && presence is not null
            ? presence.CountRemoteSubscribersAsync(live, channel, cancellationToken)
            : throw new InvalidOperationException("The Redis backplane has not started.");
    }

    private void OnMessage(ChannelMessage message)
    {
        bus.HeardMessage();
        try
        {
            switch (RedisMessageCodec.Decode((byte[])message.Message!))
            {
                case BackplaneMessage data:
                    receiver?.Receive(data);
                    break;
                case PresenceUpdate update when update.NodeId == names?.NodeId:
                    bus.HeardOwnMessage(); // the subscription works (see RedisBus)
                    break;
                case PresenceUpdate update:
                    presence?.Receive(update);
                    break;
                default:
                    LogUnreadable(message.Channel.ToString());
                    break;
            }
        }
        catch (Exception exception)
        {
            LogDeliveryFailed(exception, message.Channel.ToString());
        }
    }

    [LoggerMessage(504, LogLevel.Error, "Delivering a message received on Redis channel {Channel} failed.")]
    private partial void LogDeliveryFailed(Exception exception, string channel);

    [LoggerMessage(505, LogLevel.Debug, "Ignored a message on Redis channel {Channel} that is not a SocketIoChannels backplane message of this version.")]
    private partial void LogUnreadable(string channel);
}
