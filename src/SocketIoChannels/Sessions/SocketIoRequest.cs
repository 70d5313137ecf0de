using System.Net;
using System.Security.Claims;

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
    private IReadOnlyDictionary<string, string>? query;

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
    /// <remarks>Read from <see cref="QueryString"/> when first asked for, so an idle session that never reads it
    /// does not carry its strings (Engine.IO's own <c>EIO</c>, <c>transport</c>, <c>sid</c> are in every query).</remarks>
    public IReadOnlyDictionary<string, string> Query => query ??= Sessions.QueryStringParser.Parse(QueryString);

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
}
