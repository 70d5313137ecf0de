using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.Transports;

/// <summary>Reads a whole POST body, bounded, into a pooled buffer: the one body reader of the polling transports
/// of both protocols.</summary>
internal static class RequestBody
{
    /// <summary>Reads the body, at most <paramref name="maxBytes"/> bytes (a larger one is a
    /// <see cref="TransportException"/> 413, before or while reading), and returns what <paramref name="use"/> makes
    /// of it. The bytes are valid only during <paramref name="use"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, long maxBytes, Func<byte[], int, T> use)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    return use(buffer, length);
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static TransportException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The body may have at most {maxBytes} bytes.");
}
