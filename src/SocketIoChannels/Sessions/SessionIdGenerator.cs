using System.Security.Cryptography;

namespace SocketIoChannels.Sessions;

/// <summary>Session ids: 128 bits from a cryptographic generator as 32 lower-case hex digits (URL-path safe).</summary>
internal static class SessionIdGenerator
{
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
