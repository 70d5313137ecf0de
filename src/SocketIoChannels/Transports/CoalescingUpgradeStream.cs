using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SocketIoChannels.Transports;

/// <summary>
/// The upgraded connection's stream under an Engine.IO 4 WebSocket, wrapped so that the frames of one batch go to
/// the socket in one write: the send loop opens a batch (<see cref="BeginBatch"/>), sends each packet as its own
/// WebSocket message through the <see cref="System.Net.WebSockets.WebSocket"/> (whose frame writes are kept here),
/// and ends it (<see cref="EndBatchAsync"/>), which writes (and Kestrel flushes) them at once. Writes outside a batch,
/// and the WebSocket's control frames (pongs, pings, its close) at any time, go out at once, after what was kept.
/// Every write to the inner stream follows the one before it: whoever writes, the bytes never interleave.
/// </summary>
/// <remarks>
/// <para>It is also the request's <see cref="IHttpUpgradeFeature"/>: installed before the WebSockets middleware (see
/// <see cref="Install"/>), so the middleware keeps doing the whole handshake with its own options (keep-alive,
/// allowed origins, header checks) and creates the WebSocket over this stream. One object per connection; an idle
/// connection holds no buffer here.</para>
/// <para>The WebSocket writes each frame with one write call that starts with the frame's first byte, and serializes
/// its own writes: so a write whose opcode is a control opcode is a control frame.</para>
/// </remarks>
internal sealed class CoalescingUpgradeStream : Stream, IHttpUpgradeFeature
{
    private readonly IHttpUpgradeFeature upgrade;
    private Stream? inner;
    private byte[]? kept;
    private int keptLength;
    private bool batching;
    private Task writing = Task.CompletedTask; // the last write to the inner stream, while it has not completed

    private CoalescingUpgradeStream(IHttpUpgradeFeature upgrade) => this.upgrade = upgrade;

    /// <summary>For tests: how many writes this stream made to the connection.</summary>
    internal int InnerWrites { get; private set; }

    /// <summary>Whether the WebSocket runs over this stream (an HTTP/1.1 upgrade went through it).</summary>
    public bool IsUpgraded => inner is not null;

    public bool IsUpgradableRequest => upgrade.IsUpgradableRequest;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Before the WebSockets middleware: an Engine.IO 4 upgrade request gets this feature in place of the
    /// server's (<paramref name="observer"/>: a test hook, usually <see langword="null"/>).</summary>
    public static void Install(HttpContext context, CoalescingUpgradeObserver? observer)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
            && context.Request.QueryString.Value is { } query && query.Contains("EIO=4", StringComparison.Ordinal))
        {
            var stream = new CoalescingUpgradeStream(upgrade);
            context.Features.Set<IHttpUpgradeFeature>(stream);
            observer?.Installed(stream);
        }
    }

    public async Task<Stream> UpgradeAsync()
    {
        inner = await upgrade.UpgradeAsync().ConfigureAwait(false);
        return this;
    }

    /// <summary>From here until <see cref="EndBatchAsync"/>, data frames are kept. The send loop's only.</summary>
    public void BeginBatch()
    {
        lock (this)
        {
            batching = true;
        }
    }

    /// <summary>Writes what the batch kept in one write; completes when it (and every write before it) did.
    /// <paramref name="discard"/> drops what was kept instead (the batch failed).</summary>
    public ValueTask EndBatchAsync(bool discard = false)
    {
        lock (this)
        {
            batching = false;
            if (discard)
            {
                ReturnKept();
                return default;
            }

            if (keptLength > 0)
            {
                return WriteKeptLocked();
            }

            return writing.IsCompleted ? default : new(writing);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (this)
        {
            var control = !buffer.IsEmpty && (buffer.Span[0] & 0x08) != 0;
            if (keptLength == 0 && writing.IsCompleted && !(batching && !control))
            {
                // Nothing before it: the writer's own buffer goes as it is (the writer keeps it until this completes).
                InnerWrites++;
                var written = Inner.WriteAsync(buffer, CancellationToken.None);
                if (written.IsCompletedSuccessfully)
                {
                    return default;
                }

                writing = written.AsTask();
                return new(writing);
            }

            if (!buffer.IsEmpty)
            {
                Keep(buffer.Span);
            }

            if (batching && !control)
            {
                return default;
            }

            return WriteKeptLocked();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (this)
        {
            return writing;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (this)
            {
                ReturnKept();
            }

            inner?.Dispose();
        }

        base.Dispose(disposing);
    }

    private Stream Inner => inner ?? throw new InvalidOperationException("The connection was not upgraded.");

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (kept is null || kept.Length - keptLength < bytes.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(keptLength + bytes.Length, kept is null ? 4096 : kept.Length * 2));
            if (kept is not null)
            {
                kept.AsSpan(0, keptLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(kept);
            }

            kept = larger;
        }

        bytes.CopyTo(kept.AsSpan(keptLength));
        keptLength += bytes.Length;
    }

    private void ReturnKept()
    {
        if (kept is not null)
        {
            ArrayPool<byte>.Shared.Return(kept);
            kept = null;
            keptLength = 0;
        }
    }

    // Writes what is kept, after the write in flight if there is one. Under the lock.
    private ValueTask WriteKeptLocked()
    {
        if (keptLength == 0)
        {
            return writing.IsCompleted ? default : new(writing);
        }

        var bytes = kept!;
        var length = keptLength;
        kept = null;
        keptLength = 0;
        InnerWrites++;
        if (!writing.IsCompleted)
        {
            writing = WriteAfterAsync(writing, bytes, length);
            return new(writing);
        }

        ValueTask written;
        try
        {
            written = Inner.WriteAsync(bytes.AsMemory(0, length), CancellationToken.None);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(bytes);
            throw;
        }

        if (written.IsCompletedSuccessfully)
        {
            ArrayPool<byte>.Shared.Return(bytes);
            return default;
        }

        writing = CompleteAsync(written, bytes);
        return new(writing);
    }

    private async Task WriteAfterAsync(Task previous, byte[] bytes, int length)
    {
        try
        {
            await previous.ConfigureAwait(false);
            await Inner.WriteAsync(bytes.AsMemory(0, length), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static async Task CompleteAsync(ValueTask written, byte[] bytes)
    {
        try
        {
            await written.ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
