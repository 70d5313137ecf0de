using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>The head of an HTTP response read off a raw connection.</summary>
public sealed record RawHttpResponseHead(string StatusLine, int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string? this[string name] => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool IsChunked => string.Equals(this["Transfer-Encoding"], "chunked", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One HTTP/1.1 (or upgraded) connection over a plain TCP socket, for tests that must see the bytes as they come:
/// chunk by chunk, or past a 101 upgrade. Every read has the default test timeout.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    private RawHttpConnection(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri server)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(server.Host, server.Port).DefaultTimeout();
        return new RawHttpConnection(tcp);
    }

    public string HostHeader(Uri server) => server.Host + ":" + server.Port.ToString(CultureInfo.InvariantCulture);

    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await writeLock.WaitAsync().DefaultTimeout();
        try
        {
            await stream.WriteAsync(bytes).AsTask().DefaultTimeout();
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Reads the status line and headers.</summary>
    public async Task<RawHttpResponseHead> ReadHeadAsync()
    {
        var statusLine = await ReadLineAsync() ?? throw new IOException("The server closed the connection without a response.");
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException("The connection closed inside the response head.");
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        var parts = statusLine.Split(' ', 3);
        return new RawHttpResponseHead(statusLine, int.Parse(parts[1], CultureInfo.InvariantCulture), headers);
    }

    /// <summary>Reads one chunk of a chunked body: its data, or <see langword="null"/> for the last (empty) chunk.
    /// Throws <see cref="IOException"/> when the connection closes.</summary>
    public async Task<byte[]?> ReadChunkAsync(TimeSpan? timeout = null)
    {
        var sizeLine = await ReadLineAsync(timeout) ?? throw new IOException("The connection closed before the next chunk.");
        var size = int.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var data = await ReadExactlyAsync(size, timeout);
        var crlf = await ReadLineAsync(timeout);
        if (crlf != string.Empty)
        {
            throw new InvalidDataException("A chunk did not end with CR LF.");
        }

        return size == 0 ? null : data;
    }

    /// <summary>Reads a whole body, sized by Content-Length or chunked, as UTF-8 text.</summary>
    public async Task<string> ReadBodyAsync(RawHttpResponseHead head)
    {
        if (!head.IsChunked)
        {
            return Encoding.UTF8.GetString(await ReadExactlyAsync(int.Parse(head["Content-Length"] ?? "0", CultureInfo.InvariantCulture)));
        }

        var body = new MemoryStream();
        while (await ReadChunkAsync() is { } chunk)
        {
            body.Write(chunk);
        }

        return Encoding.UTF8.GetString(body.ToArray());
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; throws <see cref="IOException"/> at the end.</summary>
    public async Task<byte[]> ReadExactlyAsync(int count, TimeSpan? timeout = null)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (start == end && !await FillAsync(timeout))
            {
                throw new IOException($"The connection closed after {copied} of {count} bytes.");
            }

            var take = Math.Min(count - copied, end - start);
            Array.Copy(buffer, start, result, copied, take);
            start += take;
            copied += take;
        }

        return result;
    }

    /// <summary>Reads one byte, or -1 when the connection closed.</summary>
    public async Task<int> ReadByteAsync(TimeSpan? timeout = null)
    {
        if (start == end && !await FillAsync(timeout))
        {
            return -1;
        }

        return buffer[start++];
    }

    /// <summary>Reads everything until the server closes the connection.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        var all = new MemoryStream();
        while (start < end || await FillAsync(null))
        {
            all.Write(buffer, start, end - start);
            start = end;
        }

        return all.ToArray();
    }

    private async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        var line = new MemoryStream();
        while (true)
        {
            var b = await ReadByteAsync(timeout);
            if (b < 0)
            {
                return line.Length == 0 ? null : throw new IOException("The connection closed inside a line.");
            }

            if (b == '\n')
            {
                var bytes = line.ToArray();
                var length = bytes.Length > 0 && bytes[^1] == '\r' ? bytes.Length - 1 : bytes.Length;
                return Encoding.Latin1.GetString(bytes, 0, length);
            }

            line.WriteByte((byte)b);
        }
    }

    private async Task<bool> FillAsync(TimeSpan? timeout)
    {
        if (start == end)
        {
            start = end = 0;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        try
        {
            var read = await stream.ReadAsync(buffer.AsMemory(end)).AsTask().WaitAsync(timeout ?? TaskTimeouts.Default);
            end += read;
            return read > 0;
        }
        catch (IOException)
        {
            return false; // reset by the server: the end of the stream, as far as a test cares
        }
    }

    /// <summary>Drops the connection as a client that goes away would.</summary>
    public void Drop()
    {
        tcp.Client.LingerState = new LingerOption(true, 0);
        tcp.Close();
    }

    public ValueTask DisposeAsync()
    {
        tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
