using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace SocketIoChannels.Transports;

/// <summary>
/// The handshake of the hixie-75/76 WebSocket drafts (docs/protocol-0.6.md §3.1, §3.2), as pure functions over the request's
/// method and headers. hixie-76 adds a challenge: each of <c>Sec-WebSocket-Key1</c> and <c>Sec-WebSocket-Key2</c>
/// stands for the number made of its digits divided by its count of spaces; the answer is the MD5 of both numbers
/// (4 bytes big-endian each) followed by the 8 bytes (key3) the client sends after its headers.
/// </summary>
internal static class HixieHandshake
{
    /// <summary>Whether a request is a hixie-75/76 upgrade: a GET with <c>Upgrade: WebSocket</c> and without the
    /// <c>Sec-WebSocket-Key</c> and <c>Sec-WebSocket-Version</c> of RFC 6455.</summary>
    public static bool IsHixieRequest(string method, IHeaderDictionary headers) =>
        HttpMethods.IsGet(method)
        && string.Equals(headers.Upgrade, "WebSocket", StringComparison.OrdinalIgnoreCase)
        && StringValues.IsNullOrEmpty(headers.SecWebSocketKey)
        && StringValues.IsNullOrEmpty(headers.SecWebSocketVersion);

    /// <summary>Whether the upgrade is hixie-76 (it has the key headers) rather than hixie-75.</summary>
    public static bool IsDraft76(IHeaderDictionary headers) =>
        headers.ContainsKey("Sec-WebSocket-Key1") || headers.ContainsKey("Sec-WebSocket-Key2");

    /// <summary>The numbers of a hixie-76 request's two keys; <see langword="null"/> and the reason when one is not
    /// a valid key.</summary>
    public static string? TryReadKeys(IHeaderDictionary headers, out uint key1, out uint key2)
    {
        key2 = 0;
        if (!TryParseKey(headers["Sec-WebSocket-Key1"], out key1))
        {
            return "Sec-WebSocket-Key1 is not a valid hixie-76 key: it needs digits and spaces, the number a whole multiple of the spaces.";
        }

        if (!TryParseKey(headers["Sec-WebSocket-Key2"], out key2))
        {
            return "Sec-WebSocket-Key2 is not a valid hixie-76 key: it needs digits and spaces, the number a whole multiple of the spaces.";
        }

        return null;
    }

    /// <summary>The reason phrase of the draft's 101 status line.</summary>
    public static string ReasonPhrase(bool draft76) => draft76 ? "WebSocket Protocol Handshake" : "Web Socket Protocol Handshake";

    /// <summary>Sets the draft's response headers: <c>Upgrade</c>, and the origin, location and protocol with the
    /// draft's prefix (<c>Sec-WebSocket-</c> for 76, <c>WebSocket-</c> for 75).</summary>
    public static void SetResponseHeaders(IHeaderDictionary request, IHeaderDictionary response, string location, bool draft76)
    {
        var prefix = draft76 ? "Sec-WebSocket-" : "WebSocket-";
        response.Upgrade = "WebSocket";
        if (!StringValues.IsNullOrEmpty(request.Origin))
        {
            response[prefix + "Origin"] = request.Origin;
        }

        response[prefix + "Location"] = location;
        if (!StringValues.IsNullOrEmpty(request.SecWebSocketProtocol))
        {
            response[prefix + "Protocol"] = request.SecWebSocketProtocol;
        }
    }

    /// <summary>The number a key stands for. <see langword="false"/> when the key has no spaces, no digits, a
    /// number over 32 bits, or digits that are not a multiple of its spaces.</summary>
    public static bool TryParseKey(string? key, out uint number)
    {
        number = 0;
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        ulong digits = 0;
        var digitCount = 0;
        var spaces = 0;
        foreach (var c in key)
        {
            if (c is >= '0' and <= '9')
            {
                digits = (digits * 10) + (ulong)(c - '0');
                digitCount++;
                if (digits > uint.MaxValue * 12UL)
                {
                    return false;
                }
            }
            else if (c == ' ')
            {
                spaces++;
            }
        }

        if (spaces == 0 || digitCount == 0 || digits % (ulong)spaces != 0 || digits / (ulong)spaces > uint.MaxValue)
        {
            return false;
        }

        number = (uint)(digits / (ulong)spaces);
        return true;
    }

    /// <summary>The 16 bytes the server answers with.</summary>
    public static byte[] ComputeAnswer(uint key1, uint key2, ReadOnlySpan<byte> key3)
    {
        if (key3.Length != 8)
        {
            throw new ArgumentException("The hixie-76 key3 has 8 bytes.", nameof(key3));
        }

        Span<byte> challenge = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(challenge, key1);
        BinaryPrimitives.WriteUInt32BigEndian(challenge[4..], key2);
        key3.CopyTo(challenge[8..]);
#pragma warning disable CA5351 // MD5 is what the hixie-76 draft prescribes; this is a handshake check, not security.
        return MD5.HashData(challenge);
#pragma warning restore CA5351
    }
}
