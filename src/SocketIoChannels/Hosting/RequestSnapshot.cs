using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Primitives;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Hosting;

/// <summary>
/// Takes the <see cref="SocketIoRequest"/> a new session keeps, once, from the request that starts it: the transports
/// are handed <see cref="Take"/> and call it only when they start a session.
/// </summary>
internal static class RequestSnapshot
{
    /// <summary>Takes the snapshot of a live request.</summary>
    public static SocketIoRequest Take(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        // Copied rather than enumerated: Kestrel keeps the boxed enumerator of an enumeration in the headers object
        // for the rest of the connection (a cost per idle WebSocket: docs/performance.md).
        var copied = new KeyValuePair<string, StringValues>[request.Headers.Count];
        request.Headers.CopyTo(copied, 0);
        var pairs = new List<KeyValuePair<string, string>>(copied.Length);
        foreach (var header in copied)
        {
            pairs.Add(new(header.Key, header.Value.ToString()));
        }

        var headers = SmallReadOnlyDictionary.Create(pairs, StringComparer.OrdinalIgnoreCase);
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
            SmallReadOnlyDictionary.Create(pairs, StringComparer.Ordinal),
            // Not context.User: without authentication its getter creates an anonymous principal and keeps it on
            // the connection's HttpContext (a cost per idle WebSocket: docs/performance.md).
            context.Features.Get<IHttpAuthenticationFeature>()?.User,
            // Not context.Connection: its getter creates a ConnectionInfo and keeps it on the HttpContext.
            context.Features.Get<IHttpConnectionFeature>()?.RemoteIpAddress);
    }
}
