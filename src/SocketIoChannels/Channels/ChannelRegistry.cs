using System.Collections.Concurrent;

namespace SocketIoChannels.Channels;

/// <summary>
/// Who is subscribed to which channel on this node. Reads (every broadcast) take a cached array snapshot without a
/// lock; writes (subscribe, unsubscribe) are rare, lock one channel, and drop its snapshot. Empty channels are
/// removed, so a churn of sessions leaves no entries behind.
/// </summary>
/// <typeparam name="TSubscriber">The subscriber type, compared by reference.</typeparam>
internal sealed class ChannelRegistry<TSubscriber>
    where TSubscriber : class
{
    private readonly ConcurrentDictionary<string, Entry> channels = new(StringComparer.Ordinal);

    /// <summary>How many channels have at least one subscriber.</summary>
    public int ChannelCount => channels.Count;

    /// <summary>Adds a subscriber to a channel; <see langword="false"/> when it was already there.</summary>
    public bool Add(string channel, TSubscriber subscriber)
    {
        while (true)
        {
            var entry = channels.GetOrAdd(channel, static _ => new Entry());
            lock (entry)
            {
                if (entry.Removed)
                {
                    continue; // lost a race with the removal of the emptied entry: take the new one
                }

                if (!entry.Members.Add(subscriber))
                {
                    return false;
                }

                entry.Snapshot = null;
                return true;
            }
        }
    }

    /// <summary>Removes a subscriber from a channel; <see langword="false"/> when it was not there.</summary>
    public bool Remove(string channel, TSubscriber subscriber)
    {
        if (!channels.TryGetValue(channel, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            if (entry.Removed || !entry.Members.Remove(subscriber))
            {
                return false;
            }

            entry.Snapshot = null;
            if (entry.Members.Count == 0)
            {
                entry.Removed = true;
                channels.TryRemove(new KeyValuePair<string, Entry>(channel, entry));
            }

            return true;
        }
    }

    /// <summary>The subscribers of a channel now (an empty array when none). The array must not be changed.</summary>
    public TSubscriber[] GetSubscribers(string channel)
    {
        if (!channels.TryGetValue(channel, out var entry))
        {
            return [];
        }

        var snapshot = Volatile.Read(ref entry.Snapshot);
        if (snapshot is not null)
        {
            return snapshot;
        }

        lock (entry)
        {
            entry.Snapshot ??= [.. entry.Members];
            return entry.Snapshot;
        }
    }

    /// <summary>How many subscribers a channel has.</summary>
    public int Count(string channel)
    {
        if (!channels.TryGetValue(channel, out var entry))
        {
            return 0;
        }

        lock (entry)
        {
            return entry.Members.Count;
        }
    }

    private sealed class Entry
    {
        public readonly HashSet<TSubscriber> Members = new(ReferenceEqualityComparer.Instance);
        public TSubscriber[]? Snapshot;
        public bool Removed;
    }
}
