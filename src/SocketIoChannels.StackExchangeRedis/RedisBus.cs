using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// Receiving: the node's one subscription, to the bus channel that carries every node's messages, taken when the
/// node starts (so a new session or subscription never waits for a SUBSCRIBE) and retried promptly with backoff
/// until it works; StackExchange.Redis renews it after a reconnect, and a watch takes it again when it stops carrying
/// messages. Its messages are handled one at a time in arrival order (a <see cref="ChannelMessageQueue"/>), which is
/// each publishing node's order.
/// </summary>
/// <remarks>
/// <para>A subscription counts as working once it carried back a probe this node published on the bus after Redis
/// confirmed it, and every call to Redis here is bounded. Under load, a node whose first SUBSCRIBE failed while its
/// subscription connection was still coming up stayed deaf with nothing more in its log (its loop neither failed
/// again nor succeeded), and a deaf node loses every message the other servers send to its sessions. While Redis
/// is reachable, the node's start waits for a subscription that works (up to <see cref="StartupBound"/>).</para>
/// <para>Once it works, the subscription is watched (<see cref="WatchAsync"/>): StackExchange.Redis renews it by
/// itself after a reconnect, and when Redis refuses the renewal (seen with an ACL that took the channel away while
/// the node was connected) it does not try again, and the node hears nothing from then on.</para>
/// </remarks>
internal sealed partial class RedisBus(ILogger logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);

    // How long a confirmed subscription has to carry this node's probe back.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    // How long one SUBSCRIBE, UNSUBSCRIBE or probe publish may take before the attempt counts as failed.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    // How long a node's start waits, while Redis is reachable, for a subscription that works.
    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(10);

    // How long each of the watch's probes waits (two in a row, with nothing else heard, make a subscription that
    // stopped working): longer than the start's, since dropping a subscription that only looked silent loses what
    // arrives while it is taken again.
    private static readonly TimeSpan WatchProbeTimeout = TimeSpan.FromSeconds(5);

    private ChannelMessageQueue? queue;
    private TaskCompletionSource? probeHeard;
    private TaskCompletionSource restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int heard;

    /// <summary>The subscription carried a message (any node's).</summary>
    public void HeardMessage()
    {
        if (Volatile.Read(ref heard) == 0)
        {
            Volatile.Write(ref heard, 1);
        }
    }

    /// <summary>The subscription carried back a message this node published (its probe, its presence
    /// announcements).</summary>
    public void HeardOwnMessage() => Volatile.Read(ref probeHeard)?.TrySetResult();

    /// <summary>The connection came back: what was heard before proves nothing about the renewed subscription, which
    /// the watch checks now.</summary>
    public void ConnectionRestored()
    {
        Volatile.Write(ref heard, 0);
        Interlocked.Exchange(ref restored, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Subscribes (see <see cref="SubscribeAsync"/>), calls <paramref name="subscribed"/> once it works, and
    /// watches it; subscribes again when it stopped carrying messages, until <paramref name="cancellationToken"/>
    /// fires. <paramref name="watchInterval"/>: how often the watch looks (the node's presence heartbeat interval,
    /// so that its own heartbeat usually answers without a probe).</summary>
    public async Task RunAsync(RedisConnection connection, RedisNames names, Action<ChannelMessage> onMessage,
        TaskCompletionSource firstAttempt, Action subscribed, TimeSpan watchInterval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await SubscribeAsync(connection, names, onMessage, firstAttempt, cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            subscribed();
            if (!await WatchAsync(connection, names, watchInterval, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            LogStoppedCarrying(WatchProbeTimeout.TotalMilliseconds);
            Volatile.Write(ref queue, null);
            await ForgetAsync(connection, names).ConfigureAwait(false);
        }
    }

    /// <summary>Subscribes, retrying with backoff until the subscription works or <paramref name="cancellationToken"/>
    /// fires. <paramref name="firstAttempt"/> completes once it works; or, after an attempt that did not work, when
    /// Redis is unreachable (the node starts without it) or <see cref="StartupBound"/> has passed.</summary>
    private async Task SubscribeAsync(RedisConnection connection, RedisNames names, Action<ChannelMessage> onMessage,
        TaskCompletionSource firstAttempt, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var delay = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Every call is bounded (see the remarks): a call that never completes must not stall the loop.
                var subscribed = await connection.Subscriber.SubscribeAsync(names.Bus).WaitAsync(AttemptTimeout, cancellationToken).ConfigureAwait(false);
                subscribed.OnMessage(onMessage);
                if (await CarriesProbeAsync(connection, names, ProbeTimeout, cancellationToken).ConfigureAwait(false))
                {
                    LogSubscribed(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
                    Volatile.Write(ref queue, subscribed);
                    firstAttempt.TrySetResult();
                    return;
                }

                LogDeaf(ProbeTimeout.TotalMilliseconds);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException)
            {
                LogSubscribeFailed(delay.TotalMilliseconds, exception.Message);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (!connection.IsConnected || TimeProvider.System.GetElapsedTime(started) >= StartupBound)
            {
                firstAttempt.TrySetResult();
            }

            await ForgetAsync(connection, names).ConfigureAwait(false);
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
        }

        firstAttempt.TrySetResult();
    }

    public async Task UnsubscribeAsync()
    {
        if (Interlocked.Exchange(ref queue, null) is { } subscribed)
        {
            try
            {
                await subscribed.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                LogSubscribeFailed(0, exception.Message);
            }
        }
    }

    /// <summary>Watches a subscription that works; returns <see langword="true"/> once it stopped carrying messages
    /// (two probes in a row, on a connection that stayed up, came back with nothing heard), <see langword="false"/>
    /// when <paramref name="cancellationToken"/> fired. Looks every <paramref name="interval"/>, and at once when the
    /// connection came back; probes only when nothing was heard since it last looked. A probe that cannot be
    /// published (Redis unreachable) proves nothing either way: the reconnect wakes it again.</summary>
    private async Task<bool> WatchAsync(RedisConnection connection, RedisNames names, TimeSpan interval, CancellationToken cancellationToken)
    {
        var silentProbes = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (silentProbes == 0)
            {
                var woken = Volatile.Read(ref restored).Task;
                await Task.WhenAny(Task.Delay(interval, cancellationToken), woken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (!woken.IsCompleted && Interlocked.Exchange(ref heard, 0) == 1)
                {
                    continue;
                }
            }

            try
            {
                if (!connection.IsConnected
                    || await CarriesProbeAsync(connection, names, WatchProbeTimeout, cancellationToken).ConfigureAwait(false)
                    || Interlocked.Exchange(ref heard, 0) == 1
                    || !connection.IsConnected)
                {
                    silentProbes = 0;
                    continue;
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException)
            {
                silentProbes = 0;
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (++silentProbes == 2)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Publishes a probe (a presence heartbeat of this node, which the other nodes take as one) and waits
    /// until the subscription carries it back.</summary>
    private async Task<bool> CarriesProbeAsync(RedisConnection connection, RedisNames names, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref probeHeard, probe);
        try
        {
            // A publish that fails is a failed attempt (the caller retries), not a deaf subscription.
            await connection.Subscriber.PublishAsync(names.Bus, RedisMessageCodec.Encode(PresenceUpdate.Heartbeat(names.NodeId)))
                .WaitAsync(AttemptTimeout, cancellationToken).ConfigureAwait(false);
            try
            {
                await probe.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
        finally
        {
            Volatile.Write(ref probeHeard, null);
        }
    }

    /// <summary>Lets go of a subscription that failed or carried nothing, and of whatever StackExchange.Redis still
    /// keeps for the channel (it registers the queue before it sends SUBSCRIBE and keeps it when the send fails):
    /// every queue of the channel is completed, so the retry's queue is the only one (no second, unread copy of each
    /// message).</summary>
    private static async Task ForgetAsync(RedisConnection connection, RedisNames names)
    {
        try
        {
            await connection.Subscriber.UnsubscribeAsync(names.Bus).WaitAsync(AttemptTimeout).ConfigureAwait(false);
        }
        catch (Exception ignored) when (ignored is RedisException or TimeoutException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(508, LogLevel.Warning, "Could not subscribe to the Redis backplane channel (retried in {DelayMs} ms): {Reason}")]
    private partial void LogSubscribeFailed(double delayMs, string reason);

    [LoggerMessage(510, LogLevel.Debug, "The Redis backplane subscription works: its probe came back ({ElapsedMs} ms after the first attempt).")]
    private partial void LogSubscribed(double elapsedMs);

    [LoggerMessage(511, LogLevel.Warning, "The Redis backplane subscription stopped carrying messages (two probes of this node's in a row did not come back within {TimeoutMs} ms each, and nothing else arrived): subscribing again.")]
    private partial void LogStoppedCarrying(double timeoutMs);

    [LoggerMessage(509, LogLevel.Warning, "Redis confirmed the backplane subscription, but it did not carry this node's probe back within {TimeoutMs} ms: subscribing again.")]
    private partial void LogDeaf(double timeoutMs);
}
