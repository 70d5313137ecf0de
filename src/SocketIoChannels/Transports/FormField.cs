using System.Text;

namespace SocketIoChannels.Transports;

/// <summary>Finds one field of an <c>application/x-www-form-urlencoded</c> body: <c>+</c> is a space, <c>%XX</c>
/// are UTF-8 bytes; a value that is not valid UTF-8 is a 400 (as invalid UTF-8 closes a WebSocket with 1007).</summary>
internal static class FormField
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string? Find(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name)
    {
        while (!body.IsEmpty)
        {
            var end = body.IndexOf((byte)'&');
            var pair = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            var equals = pair.IndexOf((byte)'=');
            var key = equals < 0 ? pair : pair[..equals];
            if (key.SequenceEqual(name))
            {
                return equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    public static string Decode(ReadOnlySpan<byte> value)
    {
        var bytes = new byte[value.Length];
        var count = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b == (byte)'+')
            {
                bytes[count++] = (byte)' ';
            }
            else if (b == (byte)'%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes[count++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                i += 2;
            }
            else
            {
                bytes[count++] = b;
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes, 0, count);
        }
        catch (DecoderFallbackException)
        {
            throw new TransportException(Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest, "The data field is not valid UTF-8.");
        }
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
