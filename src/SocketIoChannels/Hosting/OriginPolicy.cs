using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace SocketIoChannels.Hosting;

/// <summary>
/// Decides whether a request may reach a transport, from <see cref="SocketIoOptions.AllowedOrigins"/>: the page's
/// origin (the <c>Origin</c> header, else the origin of the <c>Referer</c>) must be the app's own origin or a listed
/// one. A request with neither header is a non-browser client (browsers always send Origin on WebSocket upgrades
/// and cross-origin requests) unless <c>Sec-Fetch-Site</c> says the browser sent it from another site.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly bool allowAny;
    private readonly FrozenSet<string> allowed;

    public OriginPolicy(IEnumerable<string> origins)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in origins)
        {
            if (origin == "*")
            {
                allowAny = true;
            }
            else if (TryNormalize(origin, out var normalized))
            {
                set.Add(normalized);
            }
        }

        allowed = set.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Returns <see langword="null"/> when the request may go on, else the page origin that was refused
    /// (for the answer and the log).</summary>
    public string? Refuse(HttpRequest request)
    {
        if (allowAny)
        {
            return null;
        }

        var headers = request.Headers;
        var origin = headers.Origin;
        if (!StringValues.IsNullOrEmpty(origin))
        {
            return IsAllowed(origin.ToString(), request) ? null : Shorten(origin.ToString());
        }

        var referer = headers.Referer;
        if (!StringValues.IsNullOrEmpty(referer))
        {
            return IsAllowed(referer.ToString(), request) ? null : Shorten(referer.ToString());
        }

        var site = headers["Sec-Fetch-Site"];
        return site == "cross-site" || site == "same-site" ? "a " + site + " request without Origin or Referer" : null;
    }

    private bool IsAllowed(string pageUrl, HttpRequest request)
    {
        if (!TryNormalize(pageUrl, out var normalized, requireBareOrigin: false))
        {
            return false;
        }

        return allowed.Contains(normalized) || normalized == OwnOrigin(request);
    }

    private static string? OwnOrigin(HttpRequest request) =>
        request.Host.HasValue && TryNormalize(request.Scheme + "://" + request.Host.Value, out var own) ? own : null;

    /// <summary>Turns an origin (or, with <paramref name="requireBareOrigin"/> off, any absolute http(s) URL) into
    /// <c>scheme://host:port</c>, lower case, with the default port written out.</summary>
    public static bool TryNormalize(string text, out string normalized, bool requireBareOrigin = true)
    {
        normalized = string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0
            || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        if (requireBareOrigin && (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || text.TrimEnd('/').Length < text.Length - 1))
        {
            return false;
        }

        normalized = uri.Scheme + "://" + uri.IdnHost.ToLowerInvariant() + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static string Shorten(string value) => value.Length > 100 ? value[..100] : value;
}
