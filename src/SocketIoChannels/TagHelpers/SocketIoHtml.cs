using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SocketIoChannels;

/// <summary>
/// Writes the <c>&lt;script&gt;</c> element that loads the library's browser client (<c>io.Socket</c>, with
/// <c>subscribe</c>/<c>unsubscribe</c>) from <c>/{Resource}/socket.io.js</c>, for pages rendered without Razor.
/// Razor views use <see cref="SocketIoScriptTagHelper"/> (<c>&lt;socketio /&gt;</c>), which writes the same HTML.
/// </summary>
/// <remarks>django-socketio: {% socketio %} template tag</remarks>
public static class SocketIoHtml
{
    /// <summary>
    /// Returns the script element that loads the client. Without <paramref name="host"/> and
    /// <paramref name="port"/> it is <c>&lt;script src="{PathBase}/{Resource}/socket.io.js"&gt;&lt;/script&gt;</c>, and the
    /// client connects to the origin and path it was loaded from. With either of them, for a socket server on
    /// another origin, the script is loaded from <c>//host:port/{Resource}/socket.io.js</c> (the page's host
    /// when only <paramref name="port"/> is given) and the element carries <c>data-socketio-host</c> /
    /// <c>data-socketio-port</c>, which the client uses as its defaults.
    /// </summary>
    /// <param name="context">The request of the page being rendered; its <c>PathBase</c> and <c>Host</c> are used,
    /// and <see cref="SocketIoOptions"/> is resolved from its <c>RequestServices</c>.</param>
    /// <param name="host">The host name of a socket server on another origin, or <see langword="null"/>.</param>
    /// <param name="port">The port of a socket server on another origin, or <see langword="null"/>.</param>
    /// <param name="secure"><see langword="true"/> for https/wss, <see langword="false"/> for http/ws, or
    /// <see langword="null"/> to use the scheme the script is loaded with. Written as <c>data-socketio-secure</c>.</param>
    /// <returns>The HTML of the script element, with its attribute values HTML-encoded.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not between 1 and 65535.</exception>
    /// <exception cref="ArgumentException"><paramref name="host"/> is not a bare host name.</exception>
    /// <remarks>django-socketio: {% socketio %} template tag</remarks>
    public static string ScriptTag(HttpContext context, string? host = null, int? port = null, bool? secure = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.RequestServices.GetRequiredService<IOptions<SocketIoOptions>>().Value;
        return ScriptTag(context, options, host, port, secure);
    }

    // The one implementation, shared with the tag helper (which gets the options by injection).
    internal static string ScriptTag(HttpContext context, SocketIoOptions options, string? host, int? port, bool? secure)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be between 1 and 65535.");
        }

        host = string.IsNullOrWhiteSpace(host) ? null : BracketIPv6(host.Trim());
        if (host is not null && host.IndexOfAny(['/', '\\', '?', '#', '@', ' ', '"', '\'', '<', '>']) >= 0)
        {
            throw new ArgumentException($"\"{host}\" is not a host name: give the host alone, without scheme, port or path.", nameof(host));
        }

        var scriptPath = new PathString("/" + (options.Resource ?? "socket.io").Trim('/') + "/socket.io.js");
        string src;
        if (host is null && port is null)
        {
            // Same origin: the client takes host, port, scheme and resource (PathBase included) from this URL.
            src = context.Request.PathBase.Add(scriptPath).ToUriComponent();
        }
        else
        {
            var authority = host ?? context.Request.Host.Host;
            if (string.IsNullOrEmpty(authority))
            {
                throw new InvalidOperationException("The request has no Host header to combine with the port: pass the host as well.");
            }

            if (port is not null)
            {
                authority += ":" + port.Value.ToString(CultureInfo.InvariantCulture);
            }

            // Another origin: its path base is unknown, so the resource is taken from the root.
            var scheme = secure switch { true => "https:", false => "http:", null => string.Empty };
            src = scheme + "//" + authority + scriptPath.ToUriComponent();
        }

        var html = new StringBuilder("<script src=\"").Append(HtmlEncoder.Default.Encode(src)).Append('"');
        if (host is not null)
        {
            html.Append(" data-socketio-host=\"").Append(HtmlEncoder.Default.Encode(host)).Append('"');
        }

        if (port is not null)
        {
            html.Append(" data-socketio-port=\"").Append(port.Value.ToString(CultureInfo.InvariantCulture)).Append('"');
        }

        if (secure is not null)
        {
            html.Append(" data-socketio-secure=\"").Append(secure.Value ? "true" : "false").Append('"');
        }

        return html.Append("></script>").ToString();
    }

    // The client pastes the host into URLs, where an IPv6 address needs its brackets.
    private static string BracketIPv6(string host) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "[" + host + "]" : host;
}
