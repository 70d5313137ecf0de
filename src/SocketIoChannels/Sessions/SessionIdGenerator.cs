using System.Security.Cryptography;

namespace SocketIoChannels.Sessions;

/// <summary>Session ids: 128 bits from a cryptographic generator as 32 lower-case hex digits (URL-path safe).
/// With a backplane, the first 8 digits are the node's id instead (96 random bits remain), so any node can route a
/// send to the session's node.</summary>
internal static class SessionIdGenerator
{
    public static string Create(string? prefix = null)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        var id = Convert.ToHexStringLower(bytes);
        return prefix is null ? id : string.Concat(prefix, id.AsSpan(prefix.Length));
    }
}
