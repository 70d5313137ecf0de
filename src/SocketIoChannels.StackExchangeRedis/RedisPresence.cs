using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using BclChannel = System.Threading.Channels.Channel;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// Presence: this node's counted interests (local subscribers per channel, sessions) written to its presence hash
/// by one reconcile loop, each write announced on the bus in the same transaction; a refresh loop that renews the
/// hash's expiry, announces a heartbeat and retries what failed; and the <see cref="RedisPresenceView"/> of the
/// other nodes, fed by their announcements and loaded from Redis after each (re)subscription.
/// </summary>
internal sealed partial class RedisPresence
{
    private readonly RedisBackplaneOptions options;
    private readonly RedisNames names;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly object gate = new();
    private readonly Dictionary<string, int> channelCounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> dirtyChannels = new(StringComparer.Ordinal);
    private readonly System.Threading.Channels.Channel<bool> wakeUp = BclChannel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
    private readonly List<(long Generation, TaskCompletionSource Done)> waiters = [];
    private long generation;
    private long attempted;
    private int sessionCount;
    private int sessionsDirty = 1;
    private int presenceLost = 1;
    private int viewLost = 1;

    public RedisPresence(RedisBackplaneOptions options, RedisNames names, ILogger logger, TimeProvider time)
    {
        this.options = options;
        this.names = names;
        this.logger = logger;
        this.time = time;
        View = new RedisPresenceView(time, options.PresenceExpiry);
    }

    public RedisPresenceView View { get; }

    public void ActivateChannel(string channel)
    {
        lock (gate)
        {
            channelCounts[channel] = channelCounts.GetValueOrDefault(channel) + 1;
            dirtyChannels.Add(channel);
            Interlocked.Increment(ref generation);
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
            Interlocked.Increment(ref generation);
        }

        Wake();
    }

    public void SessionStarted()
    {
        if (Interlocked.Increment(ref sessionCount) == 1)
        {
            Volatile.Write(ref sessionsDirty, 1);
            Interlocked.Increment(ref generation);
            Wake();
        }
    }

    public void SessionEnded()
    {
        if (Interlocked.Decrement(ref sessionCount) == 0)
        {
            Volatile.Write(ref sessionsDirty, 1);
            Interlocked.Increment(ref generation);
            Wake();
        }
    }

    /// <summary>Completes once a write that includes every interest declared so far was attempted.</summary>
    public Task WhenPublishedAsync(RedisConnection? connection, CancellationToken cancellationToken)
    {
        if (connection is not { IsConnected: true })
        {
            return Task.CompletedTask; // nothing can be published now; the reconnect rewrites everything
        }

        TaskCompletionSource done;
        lock (gate)
        {
            if (attempted >= Interlocked.Read(ref generation))
            {
                return Task.CompletedTask;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((Interlocked.Read(ref generation), done));
        }

        Wake();
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Redis may have lost everything (a reconnect) or this node may have missed announcements (a new
    /// subscription): rewrite this node's presence and reload the view.</summary>
    public void Resync()
    {
        Volatile.Write(ref presenceLost, 1);
        Volatile.Write(ref viewLost, 1);
        Wake();
    }

    /// <summary>Another node's announcement, from the bus (the backplane takes this node's own as the proof that
    /// its subscription works, see RedisBus).</summary>
    public void Receive(PresenceUpdate update) => View.Apply(update);

    public Task RunAsync(RedisConnection connection, CancellationToken cancellationToken) =>
        Task.WhenAll(
            Task.Run(() => ReconcileLoopAsync(connection, cancellationToken), CancellationToken.None),
            Task.Run(() => RefreshLoopAsync(connection, cancellationToken), CancellationToken.None));

    /// <summary>One reconcile pass now (at start, so a started node is visible to the others at once).</summary>
    public async Task SyncOnceAsync(RedisConnection connection)
    {
        try
        {
            await ReconcileAsync(connection).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException)
        {
            LogSyncFailed(exception.Message);
        }
    }

    public Task<long> CountRemoteSubscribersAsync(RedisConnection connection, string channel, CancellationToken cancellationToken) =>
        RedisPresenceReads.CountRemoteSubscribersAsync(connection, names, channel, cancellationToken);

    /// <summary>A clean stop leaves no presence behind (a crash leaves it to expire), and tells the others.</summary>
    public async Task RemoveAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        wakeUp.Writer.TryComplete();
        Attempted(long.MaxValue);
        if (!connection.IsConnected)
        {
            return;
        }

        try
        {
            var transaction = connection.Database.CreateTransaction();
            _ = transaction.KeyDeleteAsync(names.Presence);
            _ = transaction.SetRemoveAsync(names.Nodes, names.NodeId);
            _ = transaction.PublishAsync(names.Bus, RedisMessageCodec.Encode(new PresenceUpdate(names.NodeId, false, true, 0, [])));
            await transaction.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or OperationCanceledException)
        {
            LogSyncFailed(exception.Message);
        }
    }

    private void Wake() => wakeUp.Writer.TryWrite(true);

    private async Task ReconcileLoopAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            while (await wakeUp.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                wakeUp.Reader.TryRead(out _);
                try
                {
                    await ReconcileAsync(connection).ConfigureAwait(false);
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

    private async Task RefreshLoopAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.PresenceRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Wake(); // retries what failed
                View.Prune();
                if (!connection.IsConnected)
                {
                    continue;
                }

                try
                {
                    var transaction = connection.Database.CreateTransaction();
                    _ = transaction.KeyExpireAsync(names.Presence, options.PresenceExpiry);
                    _ = transaction.SetAddAsync(names.Nodes, names.NodeId);
                    _ = transaction.PublishAsync(names.Bus, RedisMessageCodec.Encode(PresenceUpdate.Heartbeat(names.NodeId)));
                    await transaction.ExecuteAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    LogSyncFailed(exception.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Writes what changed in this node's interests to its presence hash and announces it on the bus, in
    /// one transaction; reloads the view when asked.</summary>
    private async Task ReconcileAsync(RedisConnection connection)
    {
        if (!connection.IsConnected)
        {
            Attempted(Interlocked.Read(ref generation)); // nobody waits for a write that cannot be made now
            return; // a reconnect resyncs
        }

        var full = Interlocked.Exchange(ref presenceLost, 0) == 1;
        var reload = Interlocked.Exchange(ref viewLost, 0) == 1;
        var sessionsChanged = Interlocked.Exchange(ref sessionsDirty, 0) == 1;
        string[] dirty;
        KeyValuePair<string, int>[] entries;
        int sessions;
        long included;
        lock (gate)
        {
            included = Interlocked.Read(ref generation);
            dirty = [.. dirtyChannels];
            dirtyChannels.Clear();
            entries = full ? [.. channelCounts] : [.. dirty.Select(c => new KeyValuePair<string, int>(c, channelCounts.GetValueOrDefault(c)))];
            sessions = Volatile.Read(ref sessionCount);
        }

        try
        {
            if (full || entries.Length > 0 || sessionsChanged)
            {
                var transaction = connection.Database.CreateTransaction();
                if (full)
                {
                    _ = transaction.KeyDeleteAsync(names.Presence);
                }

                _ = transaction.HashSetAsync(names.Presence, [
                    new HashEntry(RedisNames.SessionsField, sessions),
                    .. entries.Where(e => e.Value > 0).Select(e => new HashEntry(RedisNames.ChannelField(e.Key), e.Value))]);
                var removed = entries.Where(e => e.Value <= 0).Select(e => (RedisValue)RedisNames.ChannelField(e.Key)).ToArray();
                if (removed.Length > 0)
                {
                    _ = transaction.HashDeleteAsync(names.Presence, removed);
                }

                _ = transaction.KeyExpireAsync(names.Presence, options.PresenceExpiry);
                _ = transaction.SetAddAsync(names.Nodes, names.NodeId);
                _ = transaction.PublishAsync(names.Bus, RedisMessageCodec.Encode(new PresenceUpdate(names.NodeId, full, false, sessions, entries)));
                await transaction.ExecuteAsync().ConfigureAwait(false);
            }

            Attempted(included);
            if (reload)
            {
                await LoadViewAsync(connection).ConfigureAwait(false);
            }
        }
        catch
        {
            Attempted(included);
            lock (gate)
            {
                dirtyChannels.UnionWith(dirty);
            }

            Volatile.Write(ref sessionsDirty, 1);
            if (full)
            {
                Volatile.Write(ref presenceLost, 1);
            }

            if (reload)
            {
                Volatile.Write(ref viewLost, 1);
            }

            throw;
        }
    }

    /// <summary>Releases whoever waits for a write that includes <paramref name="included"/>: it was made, or it
    /// failed and is retried in the background (nobody waits on Redis for longer than one attempt).</summary>
    private void Attempted(long included)
    {
        List<TaskCompletionSource>? done = null;
        lock (gate)
        {
            attempted = Math.Max(attempted, included);
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Generation <= included)
                {
                    (done ??= []).Add(waiters[i].Done);
                    waiters.RemoveAt(i);
                }
            }
        }

        done?.ForEach(d => d.TrySetResult());
    }

    private async Task LoadViewAsync(RedisConnection connection)
    {
        var mark = View.Mark();
        View.Load(mark, await RedisPresenceReads.LoadOthersAsync(connection, names).ConfigureAwait(false));
    }

    [LoggerMessage(503, LogLevel.Warning, "Could not update Redis presence (retried): {Reason}")]
    private partial void LogSyncFailed(string reason);
}
