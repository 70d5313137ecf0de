using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SocketIoChannels.Hosting;

/// <summary>The host and port the run command binds, parsed from django's <c>addrport</c> argument: <c>port</c>,
/// <c>ipv4:port</c>, <c>[ipv6]:port</c> or <c>host:port</c>.</summary>
internal sealed partial record SocketIoAddress(string Host, int Port)
{
    public const string DefaultHost = "127.0.0.1";

    public const int DefaultPort = 9000;

    /// <summary>The URL Kestrel binds, e.g. <c>http://127.0.0.1:9000</c> or <c>http://[::1]:8000</c>.</summary>
    public string Url => "http://" + (Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses an addrport; a bare port takes <paramref name="defaultHost"/>.</summary>
    /// <exception cref="FormatException"><c>"x" is not a valid port number or address:port pair.</c></exception>
    public static SocketIoAddress Parse(string addrport, string defaultHost)
    {
        ArgumentNullException.ThrowIfNull(addrport);
        var match = AddrPort().Match(addrport);
        if (!match.Success || !TryParsePort(match.Groups["port"].Value, out var port))
        {
            throw Invalid(addrport);
        }

        if (match.Groups["ipv4"].Success)
        {
            if (!IPAddress.TryParse(match.Groups["ipv4"].Value, out var v4) || v4.AddressFamily != AddressFamily.InterNetwork
                || match.Groups["ipv4"].Value.Split('.').Any(octet => octet.Length > 1 && octet[0] == '0'))
            {
                throw Invalid(addrport);
            }

            return new SocketIoAddress(v4.ToString(), port);
        }

        if (match.Groups["ipv6"].Success)
        {
            if (!IPAddress.TryParse(match.Groups["ipv6"].Value, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw Invalid(addrport);
            }

            return new SocketIoAddress(v6.ToString(), port);
        }

        return new SocketIoAddress(match.Groups["fqdn"].Success ? match.Groups["fqdn"].Value : defaultHost, port);
    }

    /// <summary>The address from configuration values (<c>SocketIo:Host</c>, <c>SocketIo:Port</c>), each optional.</summary>
    /// <exception cref="FormatException">The host or the port is not valid; the message names the key.</exception>
    public static SocketIoAddress FromConfiguration(string? host, string? port)
    {
        host = string.IsNullOrWhiteSpace(host) ? DefaultHost : host.Trim();
        var number = DefaultPort;
        if (!string.IsNullOrWhiteSpace(port) && !TryParsePort(port.Trim(), out number))
        {
            throw new FormatException($"SocketIo:Port \"{port}\" is not a valid port number (0 to 65535).");
        }

        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var ip) && (literal.Contains(':', StringComparison.Ordinal) || literal.Count(c => c == '.') == 3))
        {
            return new SocketIoAddress(ip.ToString(), number);
        }

        if (!HostName().IsMatch(host))
        {
            throw new FormatException($"SocketIo:Host \"{host}\" is not a valid IP address or host name.");
        }

        return new SocketIoAddress(host, number);
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= IPEndPoint.MaxPort && text.Length <= 5;

    private static FormatException Invalid(string addrport) =>
        new($"\"{addrport}\" is not a valid port number or address:port pair.");

    // django's runserver naiveip_re.
    [GeneratedRegex(@"^(?:(?<addr>(?<ipv4>\d{1,3}(?:\.\d{1,3}){3})|(?<ipv6>\[[a-fA-F0-9:.]+\])|(?<fqdn>[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)):)?(?<port>\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex AddrPort();

    [GeneratedRegex(@"^[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
