using System.Buffers.Text;
using System.Security.Cryptography;

namespace SocketIoChannels.Sessions;

/// <summary>Engine.IO session ids (<c>sid</c>): 128 bits from a cryptographic generator as 22 base64url characters.
/// Distinct from socket ids, which are <see cref="SessionIdGenerator"/> ids.</summary>
internal static class EngineIoSessionIdGenerator
{
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
