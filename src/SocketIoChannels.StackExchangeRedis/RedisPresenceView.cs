namespace SocketIoChannels.StackExchangeRedis;

/// <summary>
/// What the other nodes announced of themselves (their <see cref="PresenceUpdate"/>s on the bus, and a load of the
/// presence hashes after each (re)subscription), kept in memory so the synchronous sends decide
/// <see cref="NoSocketException"/> without any I/O. A node that sends nothing for the presence expiry is dropped.
/// </summary>
internal sealed class RedisPresenceView(TimeProvider time, TimeSpan expiry)
{
    private readonly object gate = new();
    private readonly Dictionary<string, Node> nodes = new(StringComparer.Ordinal);
    private long version;

    /// <summary>A mark to pass to <see cref="Load"/>: what arrives on the bus after it wins over the load.</summary>
    public long Mark()
    {
        lock (gate)
        {
            return version;
        }
    }

    public void Apply(PresenceUpdate update)
    {
        lock (gate)
        {
            version++;
            if (update.Gone)
            {
                nodes.Remove(update.NodeId);
                return;
            }

            if (!nodes.TryGetValue(update.NodeId, out var node) || update.Full)
            {
                node = new Node();
                nodes[update.NodeId] = node;
            }

            Set(node, update.Sessions, update.Channels);
        }
    }

    /// <summary>Replaces what is known of each loaded node, unless a bus update of it arrived after
    /// <paramref name="mark"/>; forgets nodes that are not in the load and sent nothing since.</summary>
    public void Load(long mark, IReadOnlyDictionary<string, PresenceUpdate> loaded)
    {
        lock (gate)
        {
            foreach (var (id, node) in nodes.ToArray())
            {
                if (!loaded.ContainsKey(id) && node.Version <= mark)
                {
                    nodes.Remove(id);
                }
            }

            version++;
            foreach (var (id, update) in loaded)
            {
                if (nodes.TryGetValue(id, out var known) && known.Version > mark)
                {
                    continue;
                }

                var node = new Node();
                nodes[id] = node;
                Set(node, update.Sessions, update.Channels);
            }
        }
    }

    /// <summary>Drops the nodes that sent nothing for the presence expiry (they died).</summary>
    public void Prune()
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            foreach (var (id, node) in nodes.ToArray())
            {
                if (time.GetElapsedTime(node.SeenAt, now) > expiry)
                {
                    nodes.Remove(id);
                }
            }
        }
    }

    /// <summary>How many other nodes announced a recipient for <paramref name="message"/>.</summary>
    public int CountRecipientNodes(BackplaneMessage message)
    {
        lock (gate)
        {
            if (message.Target == BackplaneTarget.Session)
            {
                // A session id starts with the id of the node that created it: alive, it may have the session.
                return nodes.ContainsKey(message.NodeId!) ? 1 : 0;
            }

            var count = 0;
            foreach (var node in nodes.Values)
            {
                if (message.Target == BackplaneTarget.All ? node.Sessions > 0 : node.HasAny(message.Channels))
                {
                    count++;
                }
            }

            return count;
        }
    }

    private void Set(Node node, int sessions, IReadOnlyList<KeyValuePair<string, int>> channels)
    {
        node.Version = version;
        node.SeenAt = time.GetTimestamp();
        if (sessions >= 0)
        {
            node.Sessions = sessions;
        }

        foreach (var (channel, count) in channels)
        {
            if (count > 0)
            {
                node.Channels[channel] = count;
            }
            else
            {
                node.Channels.Remove(channel);
            }
        }
    }

    private sealed class Node
    {
        public readonly Dictionary<string, int> Channels = new(StringComparer.Ordinal);
        public long Version;
        public long SeenAt;
        public int Sessions;

        public bool HasAny(IReadOnlyList<string> channels)
        {
            foreach (var channel in channels)
            {
                if (Channels.ContainsKey(channel))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
