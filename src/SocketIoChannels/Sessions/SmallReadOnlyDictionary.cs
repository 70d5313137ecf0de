using System.Diagnostics.CodeAnalysis;

namespace SocketIoChannels.Sessions;

/// <summary>
/// A read-only string dictionary as one array searched in order: the request snapshot of every session keeps a
/// few headers, cookies and query values for its whole life, and this holds them in one object and one array
/// (an immutable or hashed dictionary costs several objects per session).
/// </summary>
internal sealed class SmallReadOnlyDictionary : IReadOnlyDictionary<string, string>
{
    private readonly KeyValuePair<string, string>[] entries;
    private readonly StringComparer comparer;

    private SmallReadOnlyDictionary(KeyValuePair<string, string>[] entries, StringComparer comparer)
    {
        this.entries = entries;
        this.comparer = comparer;
    }

    /// <summary>The empty dictionary (shared).</summary>
    public static SmallReadOnlyDictionary Empty { get; } = new([], StringComparer.Ordinal);

    public int Count => entries.Length;

    public IEnumerable<string> Keys => entries.Select(entry => entry.Key);

    public IEnumerable<string> Values => entries.Select(entry => entry.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' is not present.");

    /// <summary>Builds a dictionary from pairs; a later pair with an equal key replaces the earlier one.</summary>
    public static SmallReadOnlyDictionary Create(List<KeyValuePair<string, string>> pairs, StringComparer comparer)
    {
        if (pairs.Count == 0)
        {
            return Empty;
        }

        var unique = new List<KeyValuePair<string, string>>(pairs.Count);
        foreach (var pair in pairs)
        {
            var index = unique.FindIndex(existing => comparer.Equals(existing.Key, pair.Key));
            if (index >= 0)
            {
                unique[index] = pair;
            }
            else
            {
                unique.Add(pair);
            }
        }

        return new SmallReadOnlyDictionary([.. unique], comparer);
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var entry in entries)
        {
            if (comparer.Equals(entry.Key, key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)entries).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
