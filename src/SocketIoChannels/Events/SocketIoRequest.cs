using System.Collections.Immutable;
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
        ClaimsPrincipal user,
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
        User = user;
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
    public ClaimsPrincipal User { get; }

    /// <summary>The client's address.</summary>
    public IPAddress? RemoteIpAddress { get; }

    /// <summary>Takes the snapshot of a live request.</summary>
    public static SocketIoRequest FromHttpContext(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var headers = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var cookies = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var cookie in request.Cookies)
        {
            cookies[cookie.Key] = cookie.Value;
        }

        return new SocketIoRequest(
            request.Method,
            request.Scheme,
            request.Host.Value ?? string.Empty,
            request.PathBase.Value ?? string.Empty,
            request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            headers.ToImmutable(),
            cookies.ToImmutable(),
            context.User ?? new ClaimsPrincipal(new ClaimsIdentity()),
            context.Connection.RemoteIpAddress);
    }

    private static ImmutableDictionary<string, string> ParseQuery(string queryString)
    {
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in parsed)
        {
            builder[pair.Key] = pair.Value.ToString();
        }

        return builder.ToImmutable();
    }
}
