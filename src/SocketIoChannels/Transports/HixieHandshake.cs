using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SocketIoChannels.Transports;

/// <summary>
/// The challenge of the hixie-76 WebSocket handshake (spec §3.1): each of <c>Sec-WebSocket-Key1</c> and
/// <c>Sec-WebSocket-Key2</c> stands for the number made of its digits divided by its count of spaces; the answer
/// is the MD5 of both numbers (4 bytes big-endian each) followed by the 8 bytes the client sent after its
/// headers.
/// </summary>
internal static class HixieHandshake
{
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
