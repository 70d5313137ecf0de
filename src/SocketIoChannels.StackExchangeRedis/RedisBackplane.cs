using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using BclChannel = System.Threading.Channels.Channel;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// The Redis backplane. One pub/sub channel for sends to everyone (<c>{prefix}all</c>), one per socket channel
/// (<c>{prefix}c:{channel}</c>) that a node subscribes to only while it has local subscribers, and one per node
/// (<c>{prefix}n:{node}</c>) for sends to one session, routed by the node id that starts every session id (so no
/// Redis subscription or key per session). Presence: a hash per node (<c>{prefix}presence:{node}</c>, channel →
/// local subscriber count) with an expiry, refreshed by one timer per node, and a set of node ids.
/// </summary>
/// <remarks>
/// All subscription and presence writes run on one loop that reconciles what the node wants (the counted interests)
/// with what Redis has, so they never race each other, a failed one is simply retried on the next pass, and after
/// a reconnect the loop rewrites the presence hash (Redis may have restarted empty). StackExchange.Redis itself
/// re-subscribes its existing subscriptions when the connection comes back.
/// </remarks>
internal sealed partial class RedisBackplane : ISocketIoBackplane, IAsyncDisposable, IDisposable
{
    private const string CountScript = """
        local total = 0
        local nodes = redis.call('SMEMBERS', KEYS[1])
        for _, node in ipairs(nodes) do
          if node ~= ARGV[3] then
            local key = ARGV[2] .. node
            local count = redis.call('HGET', key, ARGV[1])
            if count then
              total = total + tonumber(count)
            elseif redis.call('EXISTS', key) == 0 then
              redis.call('SREM', KEYS[1], node)
            end
          end
        end
        return total
        """;

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly RedisBackplaneOptions options;
    private readonly ILogger<RedisBackplane> logger;
    private readonly Counter<long> publishFailures;
    private readonly TimeProvider time;
    private readonly object gate = new();
    private readonly Dictionary<string, int> channelCounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> dirtyChannels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ChannelMessageQueue> subscriptions = new(StringComparer.Ordinal);
    private readonly System.Threading.Channels.Channel<bool> wakeUp = BclChannel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource stopping = new();
    private readonly RedisChannel allChannel;
    private readonly RedisKey nodesKey;
    private IConnectionMultiplexer? connection;
    private ISubscriber? subscriber;
    private ISocketIoBackplaneReceiver? receiver;
    private string nodeId = "";
    private RedisChannel nodeChannel;
    private RedisKey presenceKey;
    private int sessionCount;
    private int pendingPublishes;
    private int presenceLost = 1;
    private long lastWarningAt = long.MinValue;
    private int suppressedWarnings;
    private Task? loops;

    public RedisBackplane(IOptions<RedisBackplaneOptions> options, ILogger<RedisBackplane> logger, IMeterFactory meterFactory, TimeProvider? time = null)
    {
        this.options = options.Value;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
        var meter = meterFactory.Create(new MeterOptions("SocketIoChannels"));
        publishFailures = meter.CreateCounter<long>("socketio.server.backplane.publish_failures", "{failure}",
            "Sends that could not be handed to the backplane (Redis unreachable, too slow, or too many pending).");
        allChannel = RedisChannel.Literal(this.options.ChannelPrefix + "all");
        nodesKey = this.options.ChannelPrefix + "nodes";
    }

    public bool IsConnected => connection?.IsConnected == true;

    public async Task StartAsync(string nodeId, ISocketIoBackplaneReceiver receiver, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentNullException.ThrowIfNull(receiver);
        this.nodeId = nodeId;
        this.receiver = receiver;
        nodeChannel = NodeChannel(nodeId);
        presenceKey = options.ChannelPrefix + "presence:" + nodeId;

        var configuration = options.Configuration.Clone();
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        connection = options.ConnectionFactory is { } factory
            ? await factory(configuration).WaitAsync(cancellationToken).ConfigureAwait(false)
            : await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        subscriber = connection.GetSubscriber();
        if (connection.IsConnected)
        {
            LogConnected(nodeId, configuration.ToString(includePassword: false));
        }
        else
        {
            LogStartedDisconnected(nodeId, configuration.ToString(includePassword: false));
        }

        loops = Task.WhenAll(
            Task.Run(() => ReconcileLoopAsync(stopping.Token), CancellationToken.None),
            Task.Run(() => RefreshLoopAsync(stopping.Token), CancellationToken.None));
        Wake();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        wakeUp.Writer.TryComplete();
        if (loops is not null)
        {
            await loops.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (connection is { IsConnected: true } live)
        {
            try
            {
                // A clean stop leaves no presence behind (a crash leaves it to expire).
                var database = live.GetDatabase();
                await Task.WhenAll(database.KeyDeleteAsync(presenceKey), database.SetRemoveAsync(nodesKey, nodeId))
                    .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or OperationCanceledException)
            {
                LogSyncFailed(exception.Message);
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        if (Interlocked.Exchange(ref connection, null) is { } owned)
        {
            owned.ConnectionFailed -= OnConnectionFailed;
            owned.ConnectionRestored -= OnConnectionRestored;
            await owned.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            owned.Dispose();
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        if (Interlocked.Exchange(ref connection, null) is { } owned)
        {
            owned.ConnectionFailed -= OnConnectionFailed;
            owned.ConnectionRestored -= OnConnectionRestored;
            owned.Dispose();
        }
    }

    public async Task<long> PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var publisher = subscriber;
        if (publisher is null || !IsConnected)
        {
            throw Failed(new InvalidOperationException("The Redis backplane is not connected."));
        }

        if (Interlocked.Increment(ref pendingPublishes) > options.MaxPendingPublishes)
        {
            Interlocked.Decrement(ref pendingPublishes);
            throw Failed(new InvalidOperationException($"{options.MaxPendingPublishes} publishes are already waiting for Redis."));
        }

        var channel = message.Target switch
        {
            BackplaneTarget.Channel => SocketChannel(message.Channel!),
            BackplaneTarget.Session => NodeChannel(message.NodeId!),
            _ => allChannel,
        };
        try
        {
            var received = await publisher.PublishAsync(channel, RedisMessageCodec.Encode(message)).WaitAsync(cancellationToken).ConfigureAwait(false);

            // PUBLISH counts every subscribed connection, this node's own included when it listens there too.
            return Math.Max(0, received - (subscriptions.ContainsKey(channel.ToString()) ? 1 : 0));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Failed(exception);
        }
        finally
        {
            Interlocked.Decrement(ref pendingPublishes);
        }
    }

    public void ActivateChannel(string channel)
    {
        lock (gate)
        {
            channelCounts[channel] = channelCounts.GetValueOrDefault(channel) + 1;
            dirtyChannels.Add(channel);
        }

        Wake();
    }

    public void DeactivateChannel(string channel)
    {
        lock (gate)
        {
            var count = channelCounts.GetValueOrDefault(channel) - 1;
            if (count > 0)
            {
                channelCounts[channel] = count;
            }
            else
            {
                channelCounts.Remove(channel);
            }

            dirtyChannels.Add(channel);
        }

        Wake();
    }

    public void SessionStarted()
    {
        if (Interlocked.Increment(ref sessionCount) == 1)
        {
            Wake();
        }
    }

    public void SessionEnded()
    {
        if (Interlocked.Decrement(ref sessionCount) == 0)
        {
            Wake();
        }
    }

    public async Task<long> CountRemoteSubscribersAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var live = connection ?? throw new InvalidOperationException("The Redis backplane has not started.");
        var result = await live.GetDatabase()
            .ScriptEvaluateAsync(CountScript, [nodesKey], [channel, options.ChannelPrefix + "presence:", nodeId])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result;
    }

    private RedisChannel SocketChannel(string channel) => RedisChannel.Literal(options.ChannelPrefix + "c:" + channel);

    private RedisChannel NodeChannel(string node) => RedisChannel.Literal(options.ChannelPrefix + "n:" + node);

    private void Wake() => wakeUp.Writer.TryWrite(true);

    private async Task ReconcileLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await wakeUp.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                wakeUp.Reader.TryRead(out _);
                try
                {
                    await ReconcileAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException)
                {
                    // Retried on the next refresh tick or reconnect.
                    LogSyncFailed(exception.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.PresenceRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Wake(); // retries what failed, and refreshes the presence expiry below
                if (connection is { IsConnected: true } live)
                {
                    try
                    {
                        var database = live.GetDatabase();
                        await Task.WhenAll(
                            database.KeyExpireAsync(presenceKey, options.PresenceExpiry),
                            database.SetAddAsync(nodesKey, nodeId)).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is RedisException or TimeoutException)
                    {
                        LogSyncFailed(exception.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Makes Redis match what this node wants: its subscriptions, then its presence entries.</summary>
    private async Task ReconcileAsync()
    {
        if (connection is not { IsConnected: true } live || subscriber is not { } sub)
        {
            return; // OnConnectionRestored wakes the loop again
        }

        HashSet<string> wanted;
        string[] dirty;
        KeyValuePair<string, int>[] counts;
        lock (gate)
        {
            wanted = new HashSet<string>(channelCounts.Keys.Select(c => SocketChannel(c).ToString()), StringComparer.Ordinal);
            dirty = [.. dirtyChannels];
            dirtyChannels.Clear();
            counts = [.. channelCounts];
        }

        if (Volatile.Read(ref sessionCount) > 0)
        {
            wanted.Add(allChannel.ToString());
            wanted.Add(nodeChannel.ToString());
        }

        var full = Interlocked.Exchange(ref presenceLost, 0) == 1;
        try
        {
            foreach (var (name, queue) in subscriptions)
            {
                if (!wanted.Contains(name))
                {
                    await queue.UnsubscribeAsync().ConfigureAwait(false);
                    subscriptions.TryRemove(name, out _);
                }
            }

            foreach (var name in wanted)
            {
                if (!subscriptions.ContainsKey(name))
                {
                    var queue = await sub.SubscribeAsync(RedisChannel.Literal(name)).ConfigureAwait(false);
                    queue.OnMessage(OnMessage);
                    subscriptions[name] = queue;
                }
            }

            var database = live.GetDatabase();
            var writes = new List<Task>();
            if (full)
            {
                var transaction = database.CreateTransaction();
                _ = transaction.KeyDeleteAsync(presenceKey);
                if (counts.Length > 0)
                {
                    _ = transaction.HashSetAsync(presenceKey, [.. counts.Select(p => new HashEntry(p.Key, p.Value))]);
                }

                _ = transaction.KeyExpireAsync(presenceKey, options.PresenceExpiry);
                _ = transaction.SetAddAsync(nodesKey, nodeId);
                writes.Add(transaction.ExecuteAsync());
            }
            else if (dirty.Length > 0)
            {
                var lookup = counts.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                foreach (var channel in dirty)
                {
                    writes.Add(lookup.TryGetValue(channel, out var count)
                        ? database.HashSetAsync(presenceKey, channel, count)
                        : database.HashDeleteAsync(presenceKey, channel));
                }

                writes.Add(database.KeyExpireAsync(presenceKey, options.PresenceExpiry));
                writes.Add(database.SetAddAsync(nodesKey, nodeId));
            }

            await Task.WhenAll(writes).ConfigureAwait(false);
        }
        catch
        {
            lock (gate)
            {
                dirtyChannels.UnionWith(dirty);
            }

            if (full)
            {
                Volatile.Write(ref presenceLost, 1);
            }

            throw;
        }
    }

    private void OnMessage(ChannelMessage message)
    {
        try
        {
            if (RedisMessageCodec.Decode((byte[])message.Message!) is { } decoded)
            {
                receiver?.Receive(decoded);
            }
            else
            {
                LogUnreadable(message.Channel.ToString());
            }
        }
        catch (Exception exception)
        {
            LogDeliveryFailed(exception, message.Channel.ToString());
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            LogConnectionLost(e.EndPoint?.ToString(), e.FailureType, e.Exception?.Message);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            LogConnectionRestored(e.EndPoint?.ToString());
        }

        // Redis may have restarted empty: rewrite this node's presence, and retry whatever failed meanwhile.
        Volatile.Write(ref presenceLost, 1);
        Wake();
    }

    /// <summary>Counts a failed publish and logs it at Warning, at most once per 10 seconds with the number of
    /// failures in between, so an outage cannot flood the logs.</summary>
    private Exception Failed(Exception exception)
    {
        publishFailures.Add(1);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastWarningAt);
        if ((last == long.MinValue || time.GetElapsedTime(last, now) >= WarningInterval)
            && Interlocked.CompareExchange(ref lastWarningAt, now, last) == last)
        {
            LogPublishFailed(Interlocked.Exchange(ref suppressedWarnings, 0), exception.Message);
        }
        else
        {
            Interlocked.Increment(ref suppressedWarnings);
        }

        return exception;
    }

    [LoggerMessage(500, LogLevel.Warning, "A send could not be published to Redis ({Suppressed} more failed since the last warning): {Reason}. Sessions on this server still got it.")]
    private partial void LogPublishFailed(int suppressed, string reason);

    [LoggerMessage(501, LogLevel.Warning, "Lost the Redis backplane connection to {EndPoint} ({FailureType}): sends reach this server's sessions only until it is back. {Reason}")]
    private partial void LogConnectionLost(string? endPoint, ConnectionFailureType failureType, string? reason);

    [LoggerMessage(502, LogLevel.Information, "The Redis backplane connection to {EndPoint} is back; subscriptions and presence are restored.")]
    private partial void LogConnectionRestored(string? endPoint);

    [LoggerMessage(503, LogLevel.Warning, "Could not update Redis subscriptions or presence (retried): {Reason}")]
    private partial void LogSyncFailed(string reason);

    [LoggerMessage(504, LogLevel.Error, "Delivering a message received on Redis channel {Channel} failed.")]
    private partial void LogDeliveryFailed(Exception exception, string channel);

    [LoggerMessage(505, LogLevel.Debug, "Ignored a message on Redis channel {Channel} that is not a SocketIoChannels backplane message of this version.")]
    private partial void LogUnreadable(string channel);

    [LoggerMessage(506, LogLevel.Information, "Redis backplane connected as node {NodeId} ({Configuration}).")]
    private partial void LogConnected(string nodeId, string configuration);

    [LoggerMessage(507, LogLevel.Warning, "Redis is unreachable at startup ({Configuration}); node {NodeId} serves its own sessions and keeps trying to connect.")]
    private partial void LogStartedDisconnected(string nodeId, string configuration);
}
