using StackExchange.Redis;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// Publishing: every message of this node, whatever its target, is one PUBLISH on the one bus channel, made on the
/// one interactive connection in the order the core calls it, so every other node receives this node's messages in
/// that order. A counted publish is the same PUBLISH inside a script that also counts, from the presence hashes,
/// the other nodes with a recipient. Refused before anything is sent: a message over
/// <see cref="RedisBackplaneOptions.MaxMessageBytes"/>; failed at once: a publish while disconnected or beyond
/// <see cref="RedisBackplaneOptions.MaxPendingPublishes"/>.
/// </summary>
internal sealed class RedisPublisher(RedisBackplaneOptions options, PublishFailureLog failureLog)
{
    private readonly PublishFailureLog failures = failureLog;

    private const string PublishAndCountScript = """
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        local kind = ARGV[5]
        if kind == 's' then
          if ARGV[6] ~= ARGV[4] and redis.call('EXISTS', ARGV[3] .. ARGV[6]) == 1 then return 1 end
          return 0
        end
        local total = 0
        for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          if node ~= ARGV[4] then
            local key = ARGV[3] .. node
            for i = 6, #ARGV do
              local count = redis.call('HGET', key, ARGV[i])
              if count and tonumber(count) > 0 then
                total = total + 1
                break
              end
            end
          end
        end
        return total
        """;

    private int pending;

    /// <summary>Throws when <paramref name="message"/> is over the size limit, naming the limit.</summary>
    public void Validate(BackplaneMessage message)
    {
        var size = RedisMessageCodec.Measure(message);
        if (size > options.MaxMessageBytes)
        {
            throw new ArgumentException(
                $"The message is {size:N0} bytes for the Redis backplane, over its limit of {options.MaxMessageBytes:N0} bytes "
                + "(RedisBackplaneOptions.MaxMessageBytes, kept well under Redis's client-output-buffer-limit for pub/sub so that no "
                + "server's subscription is cut). Nothing was sent.", nameof(message));
        }
    }

    /// <summary>Publishes without a count; a failure is counted and logged, never thrown.</summary>
    public void Publish(RedisConnection? connection, RedisNames names, BackplaneMessage message)
    {
        if (!TryBegin(connection, out _))
        {
            return;
        }

        Task publish;
        try
        {
            publish = connection!.Subscriber.PublishAsync(names.Bus, RedisMessageCodec.Encode(message));
        }
        catch (Exception exception)
        {
            Interlocked.Decrement(ref pending);
            failures.Failed(exception);
            return;
        }

        publish.ContinueWith(static (task, state) =>
        {
            var self = (RedisPublisher)state!;
            Interlocked.Decrement(ref self.pending);
            if (task.IsFaulted)
            {
                self.failures.Failed(task.Exception!.GetBaseException());
            }
        }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Publishes (taking its place in this node's order now) and counts the other nodes whose presence
    /// names a recipient.</summary>
    public Task<long> PublishCountedAsync(RedisConnection? connection, RedisNames names, BackplaneMessage message, CancellationToken cancellationToken)
    {
        if (!TryBegin(connection, out var refused))
        {
            return Task.FromException<long>(refused!);
        }

        Task<RedisResult> publish;
        try
        {
            var arguments = new List<RedisValue>(6 + message.Channels.Count)
            {
                names.Bus.ToString(), RedisMessageCodec.Encode(message), names.PresencePrefix, names.NodeId,
            };
            switch (message.Target)
            {
                case BackplaneTarget.Session:
                    arguments.Add("s");
                    arguments.Add(message.NodeId);
                    break;
                case BackplaneTarget.Channel:
                    arguments.Add("c");
                    arguments.AddRange(message.Channels.Select(c => (RedisValue)RedisNames.ChannelField(c)));
                    break;
                default:
                    arguments.Add("a");
                    arguments.Add(RedisNames.SessionsField);
                    break;
            }

            publish = connection!.Database.ScriptEvaluateAsync(PublishAndCountScript, [names.Nodes], [.. arguments]);
        }
        catch (Exception exception)
        {
            Interlocked.Decrement(ref pending);
            return Task.FromException<long>(failures.Failed(exception));
        }

        return CompleteAsync(publish, cancellationToken);
    }

    private async Task<long> CompleteAsync(Task<RedisResult> publish, CancellationToken cancellationToken)
    {
        try
        {
            return (long)await publish.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw failures.Failed(exception);
        }
        finally
        {
            Interlocked.Decrement(ref pending);
        }
    }

    /// <summary>Checks the connection and takes a pending slot; otherwise counts and logs why not.</summary>
    private bool TryBegin(RedisConnection? connection, out Exception? refused)
    {
        refused = null;
        if (connection is null || !connection.IsConnected)
        {
            refused = failures.Failed(new InvalidOperationException("The Redis backplane is not connected"));
            return false;
        }

        if (Interlocked.Increment(ref pending) > options.MaxPendingPublishes)
        {
            Interlocked.Decrement(ref pending);
            refused = failures.Failed(new InvalidOperationException($"{options.MaxPendingPublishes} publishes are already waiting for Redis"));
            return false;
        }

        return true;
    }
}
