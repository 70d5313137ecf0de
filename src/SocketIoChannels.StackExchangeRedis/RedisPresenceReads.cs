using StackExchange.Redis;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>The presence reads, each one script: the other live nodes' subscriber count of a channel (dropping
/// expired nodes from the set), and everything the other nodes wrote (to load the view).</summary>
internal static class RedisPresenceReads
{
    private const string CountScript = """
        local total = 0
        for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
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

    private const string LoadScript = """
        local result = {}
        for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          if node ~= ARGV[2] then
            local fields = redis.call('HGETALL', ARGV[1] .. node)
            if #fields > 0 then
              result[#result + 1] = node
              result[#result + 1] = fields
            end
          end
        end
        return result
        """;

    public static async Task<long> CountRemoteSubscribersAsync(RedisConnection connection, RedisNames names, string channel,
        CancellationToken cancellationToken)
    {
        var result = await connection.Database
            .ScriptEvaluateAsync(CountScript, [names.Nodes], [RedisNames.ChannelField(channel), names.PresencePrefix, names.NodeId])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result;
    }

    /// <summary>Every other node's presence hash, as full updates.</summary>
    public static async Task<Dictionary<string, PresenceUpdate>> LoadOthersAsync(RedisConnection connection, RedisNames names)
    {
        var result = (RedisResult[])(await connection.Database
            .ScriptEvaluateAsync(LoadScript, [names.Nodes], [names.PresencePrefix, names.NodeId]).ConfigureAwait(false))!;
        var loaded = new Dictionary<string, PresenceUpdate>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < result.Length; i += 2)
        {
            var fields = (RedisResult[])result[i + 1]!;
            var sessions = 0;
            var channels = new List<KeyValuePair<string, int>>();
            for (var j = 0; j + 1 < fields.Length; j += 2)
            {
                var field = (string)fields[j]!;
                var count = (int)fields[j + 1];
                if (field == RedisNames.SessionsField)
                {
                    sessions = count;
                }
                else if (field.StartsWith("c:", StringComparison.Ordinal))
                {
                    channels.Add(new(field[2..], count));
                }
            }

            var node = (string)result[i]!;
            loaded[node] = new PresenceUpdate(node, true, false, sessions, channels);
        }

        return loaded;
    }
}
