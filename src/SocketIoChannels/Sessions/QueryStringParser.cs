namespace SocketIoChannels.Sessions;

/// <summary>
/// Reads a query string into the values of <see cref="SocketIoRequest.Query"/>: the pairs split on <c>&amp;</c> and
/// the first <c>=</c>, <c>+</c> read as a space, then percent-decoded; names compared case-insensitively, several
/// non-empty values of one name joined with commas in order, names kept in the order first seen. These are the results of
/// ASP.NET Core's <c>QueryHelpers.ParseQuery</c> (a property test holds them equal), without referencing ASP.NET Core
/// from the session layer.
/// </summary>
internal static class QueryStringParser
{
    public static IReadOnlyDictionary<string, string> Parse(string queryString)
    {
        if (string.IsNullOrEmpty(queryString) || queryString == "?")
        {
            return SmallReadOnlyDictionary.Empty;
        }

        var rest = queryString.AsSpan(queryString[0] == '?' ? 1 : 0);
        var pairs = new List<KeyValuePair<string, string>>();
        while (!rest.IsEmpty)
        {
            var ampersand = rest.IndexOf('&');
            var segment = ampersand >= 0 ? rest[..ampersand] : rest;
            rest = ampersand >= 0 ? rest[(ampersand + 1)..] : default;
            if (segment.IsEmpty)
            {
                continue;
            }

            var equals = segment.IndexOf('=');
            var name = Decode(equals >= 0 ? segment[..equals] : segment);
            var value = equals >= 0 ? Decode(segment[(equals + 1)..]) : string.Empty;
            Add(pairs, name, value);
        }

        return SmallReadOnlyDictionary.Create(pairs, StringComparer.OrdinalIgnoreCase);
    }

    private static void Add(List<KeyValuePair<string, string>> pairs, string name, string value)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            if (string.Equals(pairs[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                // Empty values are left out of the join, as StringValues.ToString does.
                if (value.Length > 0)
                {
                    pairs[i] = new(pairs[i].Key, pairs[i].Value.Length == 0 ? value : pairs[i].Value + "," + value);
                }

                return;
            }
        }

        pairs.Add(new(name, value));
    }

    private static string Decode(ReadOnlySpan<char> encoded) =>
        encoded.IsEmpty ? string.Empty : Uri.UnescapeDataString(encoded.ToString().Replace('+', ' '));
}
