using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// Receiving: the node's one subscription, to the bus channel that carries every node's messages, taken when the
/// node starts (so a new session or subscription never waits for a SUBSCRIBE) and retried promptly with backoff
/// until Redis confirms it; StackExchange.Redis renews it after a reconnect. Its messages are handled one at a time
/// in arrival order (a <see cref="ChannelMessageQueue"/>), which is each publishing node's order.
/// </summary>
internal sealed partial class RedisBus(ILogger logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);

    private ChannelMessageQueue? queue;

    /// <summary><see langword="true"/> once Redis confirmed the subscription.</summary>
    public bool IsSubscribed => Volatile.Read(ref queue) is not null;

    /// <summary>Subscribes, retrying with backoff until it is confirmed or <paramref name="cancellationToken"/>
    /// fires. <paramref name="firstAttempt"/> completes after the first attempt, whatever its outcome.</summary>
    public async Task SubscribeAsync(RedisConnection connection, RedisNames names, Action<ChannelMessage> onMessage,
        TaskCompletionSource firstAttempt, CancellationToken cancellationToken)
    {
        var delay = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var subscribed = await connection.Subscriber.SubscribeAsync(names.Bus).WaitAsync(cancellationToken).ConfigureAwait(false);
                subscribed.OnMessage(onMessage);
                Volatile.Write(ref queue, subscribed);
                firstAttempt.TrySetResult();
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException)
            {
                LogSubscribeFailed(delay.TotalMilliseconds, exception.Message);

                // StackExchange.Redis registers the queue before it sends SUBSCRIBE and keeps it when the send
                // fails; forget it, so the retry's queue is the only one (no second, unread copy of each message).
                try
                {
                    await connection.Subscriber.UnsubscribeAsync(names.Bus).ConfigureAwait(false);
                }
                catch (Exception ignored) when (ignored is RedisException or TimeoutException or InvalidOperationException)
                {
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            firstAttempt.TrySetResult();
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

    [LoggerMessage(508, LogLevel.Warning, "Could not subscribe to the Redis backplane channel (retried in {DelayMs} ms): {Reason}")]
    private partial void LogSubscribeFailed(double delayMs, string reason);
}
