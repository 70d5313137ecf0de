using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.Transports;

/// <summary>
/// The hixie-75/76 framing (<see cref="HixieCodec"/>) on an upgraded connection's stream: everything queued goes out
/// as one text frame; reads are zero-byte reads, so an idle connection holds no buffer. The drafts have no close
/// codes: a close is <c>0xFF 0x00</c>, and the reason is only logged.
/// </summary>
internal sealed class HixieFraming : IWebSocketReceiver<ReadResult>
{
    private static readonly byte[] CloseFrame = HixieCodec.CloseFrame.ToArray();
    private readonly Stream stream;
    private readonly PipeReader reader;
    private readonly HttpContext context;
    private readonly long maxMessageSize;
    private ReadOnlySequence<byte> pending; // the unread part of the last read, while holding it
    private bool holding;
    private bool completed;
    private long scanned;
    private int closeSent;

    public HixieFraming(Stream stream, PipeReader reader, HttpContext context, long maxMessageSize)
    {
        this.stream = stream;
        this.reader = reader;
        this.context = context;
        this.maxMessageSize = maxMessageSize;
    }

    public string Name => "hixie WebSocket";

    public string DescribeClose(WebSocketCloseStatus status) => "0xFF 0x00";

    public async ValueTask SendAsync(ReadOnlyMemory<byte[]> frames, int length)
    {
        var size = HixieCodec.EncodedLength(length);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            HixieCodec.Encode(frames.Span, buffer);
            await stream.WriteAsync(buffer.AsMemory(0, size), CancellationToken.None).ConfigureAwait(false);
            await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The next frame may already be in what was read: then there is nothing to wait for.
    public ValueTask<ReadResult> WaitAsync(CancellationToken cancellationToken) => holding ? default : reader.ReadAsync(cancellationToken);

    public async ValueTask<WebSocketInbound> ReceiveAsync(ValueTask<ReadResult> waited, CancellationToken cancellationToken)
    {
        try
        {
            if (!holding)
            {
                Hold(await waited.ConfigureAwait(false));
            }

            while (true)
            {
                var status = HixieCodec.TryReadFrame(ref pending, ref scanned, maxMessageSize, out var text, out var problem);
                switch (status)
                {
                    case HixieFrameStatus.Text:
                        return WebSocketInbound.Message(text!, text!.Length);
                    case HixieFrameStatus.Close:
                        Release(pending.Start);
                        return WebSocketInbound.ClientClosed;
                    case HixieFrameStatus.Invalid:
                        Release(pending.Start);
                        return WebSocketInbound.Invalid(WebSocketCloseStatus.ProtocolError, problem!);
                }

                reader.AdvanceTo(pending.Start, pending.End);
                holding = false;
                if (completed)
                {
                    return WebSocketInbound.Ended();
                }

                Hold(await reader.ReadAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException)
        {
            return WebSocketInbound.Ended();
        }
        catch (IOException exception)
        {
            return WebSocketInbound.Ended(exception.Message);
        }
    }

    public async ValueTask SendCloseAsync(WebSocketCloseStatus status, string description)
    {
        if (Interlocked.Exchange(ref closeSent, 1) != 0)
        {
            return;
        }

        try
        {
            await stream.WriteAsync(CloseFrame, CancellationToken.None).ConfigureAwait(false);
            await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public async ValueTask DrainAsync()
    {
        try
        {
            if (holding)
            {
                Release(pending.End);
            }

            while (true)
            {
                var result = await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public void Abort() => context.Abort();

    private void Hold(ReadResult result)
    {
        pending = result.Buffer;
        holding = true;
        completed = result.IsCompleted || result.IsCanceled;
    }

    private void Release(SequencePosition consumed)
    {
        reader.AdvanceTo(consumed);
        holding = false;
    }
}
