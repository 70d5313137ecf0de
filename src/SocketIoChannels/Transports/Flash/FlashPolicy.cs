using System.Buffers;
using System.Text;

namespace SocketIoChannels.Transports;

/// <summary>
/// The Flash socket policy (docs/protocol-0.6.md §6.2): Flash asks for it with the 23 bytes <c>&lt;policy-file-request/&gt;</c> and
/// NUL before it opens a socket (the flashsocket transport), first on port 843, then on the port it connects to.
/// The answer allows every domain and port (0.6's default <c>*:*</c>), one <c>allow-access-from</c> line per
/// <c>host:port</c> pattern.
/// </summary>
internal static class FlashPolicy
{
    /// <summary>The request Flash sends.</summary>
    public static ReadOnlySpan<byte> Request => "<policy-file-request/>\0"u8;

    /// <summary>The policy for <c>*:*</c>, as the UTF-8 bytes written to the socket.</summary>
    public static byte[] Default { get; } = Create(["*:*"]);

    /// <summary>The policy XML for <c>host:port</c> patterns (<c>*</c> for any): LF line ends, no trailing NUL.</summary>
    public static byte[] Create(IEnumerable<string> origins)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE cross-domain-policy SYSTEM \"http://www.macromedia.com/xml/dtds/cross-domain-policy.dtd\">\n<cross-domain-policy>\n");
        foreach (var origin in origins)
        {
            var colon = origin.LastIndexOf(':');
            var domain = colon < 0 ? origin : origin[..colon];
            var ports = colon < 0 ? "*" : origin[(colon + 1)..];
            xml.Append("<allow-access-from domain=\"").Append(domain).Append("\" to-ports=\"").Append(ports).Append("\"/>\n");
        }

        return Encoding.UTF8.GetBytes(xml.Append("</cross-domain-policy>\n").ToString());
    }

    /// <summary>Whether <paramref name="received"/> is the policy request (<see langword="true"/>), could still
    /// become it (<see langword="null"/>: a shorter prefix of it), or is something else.</summary>
    public static bool? IsRequest(in ReadOnlySequence<byte> received)
    {
        var request = Request;
        var length = (int)Math.Min(received.Length, request.Length);
        Span<byte> start = stackalloc byte[request.Length];
        received.Slice(0, length).CopyTo(start);
        if (!start[..length].SequenceEqual(request[..length]))
        {
            return false;
        }

        return length == request.Length ? true : null;
    }
}
