using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace SocketIoChannels;

/// <summary>
/// An immutable snapshot of the HTTP request that started a session, taken once. A long-polling session
/// outlives that request, so handlers never see the live <c>HttpContext</c>.
/// </summary>
/// <remarks>django-socketio: the <c>request</c> argument of every handler (the Django request of the
/// session's first HTTP request).</remarks>
public sealed class SocketIoRequest
{
    private ClaimsPrincipal? user;

    /// <summary>Creates a snapshot from its parts (for tests and custom hosts).</summary>
    public SocketIoRequest(
        string method,
        string scheme,
        string host,
        string pathBase,
        string path,
        string queryString,
        IReadOnlyDictionary<string, string> headers,
        IReadOnlyDictionary<string, string> cookies,
        ClaimsPrincipal? user,
        IPAddress? remoteIpAddress)
    {
        Method = method;
        Scheme = scheme;
        Host = host;
        PathBase = pathBase;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        Cookies = cookies;
        this.user = user;
        RemoteIpAddress = remoteIpAddress;
        Query = ParseQuery(queryString);
    }

    /// <summary>The HTTP method (GET for every transport's first request).</summary>
    public string Method { get; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string Scheme { get; }

    /// <summary>The Host header value.</summary>
    public string Host { get; }

    /// <summary>The application's path base.</summary>
    public string PathBase { get; }

    /// <summary>The request path, e.g. <c>/socket.io/websocket</c>.</summary>
    public string Path { get; }

    /// <summary>The query string including its leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    /// <summary>The query string's values (several values of one key joined with commas).</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The request headers, case-insensitive (several values joined with commas).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request cookies.</summary>
    public IReadOnlyDictionary<string, string> Cookies { get; }

    /// <summary>The authenticated user of the request (an anonymous principal when none).</summary>
    /// <remarks>Without authentication on the request (or with a <see langword="null"/> user given to the
    /// constructor), the anonymous principal is created when first read, so an idle session does not carry one.</remarks>
    public ClaimsPrincipal User => user ??= new ClaimsPrincipal(new ClaimsIdentity());

    /// <summary>The client's address.</summary>
    public IPAddress? RemoteIpAddress { get; }

    /// <summary>Takes the snapshot of a live request.</summary>
    public static SocketIoRequest FromHttpContext(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        // Copied rather than enumerated: Kestrel keeps the boxed enumerator of an enumeration in the headers object
        // for the rest of the connection (128 bytes per idle WebSocket).
        var copied = new KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>[request.Headers.Count];
        request.Headers.CopyTo(copied, 0);
        var pairs = new List<KeyValuePair<string, string>>(copied.Length);
        foreach (var header in copied)
        {
            pairs.Add(new(header.Key, header.Value.ToString()));
        }

        var headers = Events.SmallReadOnlyDictionary.Create(pairs, StringComparer.OrdinalIgnoreCase);
        pairs.Clear();
        // Reading Cookies creates and keeps a feature on the HttpContext: skip it when there is no Cookie header.
        foreach (var cookie in request.Headers.ContainsKey("Cookie") ? request.Cookies : Enumerable.Empty<KeyValuePair<string, string>>())
        {
            pairs.Add(new(cookie.Key, cookie.Value));
        }

        return new SocketIoRequest(
            request.Method,
            request.Scheme,
            request.Host.Value ?? string.Empty,
            request.PathBase.Value ?? string.Empty,
            request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            headers,
            Events.SmallReadOnlyDictionary.Create(pairs, StringComparer.Ordinal),
            // Not context.User: without authentication its getter creates an anonymous principal and keeps it on
            // the connection's HttpContext (about 270 bytes per idle WebSocket).
            context.Features.Get<Microsoft.AspNetCore.Http.Features.Authentication.IHttpAuthenticationFeature>()?.User,
            context.Connection.RemoteIpAddress);
    }

    private static IReadOnlyDictionary<string, string> ParseQuery(string queryString)
    {
        if (string.IsNullOrEmpty(queryString) || queryString == "?")
        {
            return Events.SmallReadOnlyDictionary.Empty;
        }

        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        var pairs = new List<KeyValuePair<string, string>>(parsed.Count);
        foreach (var pair in parsed)
        {
            pairs.Add(new(pair.Key, pair.Value.ToString()));
        }

        return Events.SmallReadOnlyDictionary.Create(pairs, StringComparer.OrdinalIgnoreCase);
    }
}
