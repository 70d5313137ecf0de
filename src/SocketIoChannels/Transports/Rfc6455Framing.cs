using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SocketIoChannels.Transports;

/// <summary>
/// RFC 6455 through ASP.NET Core's <see cref="WebSocket"/>, for Socket.IO 0.6: text messages, everything queued as
/// one message; a receive that holds no buffer while idle (zero-byte reads). For Engine.IO 4
/// (docs/protocol-v5.md §1.3) each queued packet is one message instead, text or binary (a queued binary packet
/// without its <c>b</c>), and binary messages are received too.
/// </summary>
internal sealed class Rfc6455Framing : IWebSocketReceiver<ValueWebSocketReceiveResult>
{
    private const int ReceiveChunk = 4096;
    private static readonly Task<ValueWebSocketReceiveResult> NotReading = Task.FromCanceled<ValueWebSocketReceiveResult>(new CancellationToken(canceled: true));
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly WebSocket socket;
    private readonly HttpContext context;
    private readonly long maxMessageSize;
    private readonly bool engineIo;
    private readonly CoalescingUpgradeStream? coalescing;

    // coalescing: on Engine.IO, the stream the socket writes to when it is one that writes a batch of messages at
    // once; null sends each message on its own.
    public Rfc6455Framing(WebSocket socket, HttpContext context, long maxMessageSize, bool engineIo = false, CoalescingUpgradeStream? coalescing = null)
    {
        this.socket = socket;
        this.context = context;
        this.maxMessageSize = maxMessageSize;
        this.engineIo = engineIo;
        this.coalescing = coalescing;
    }

    public string Name => engineIo ? "Engine.IO WebSocket" : "WebSocket";

    public string DescribeClose(WebSocketCloseStatus status) => ((int)status).ToString(CultureInfo.InvariantCulture);

    // Not async itself: a batch of one frame (the common case at fan-out) costs no state machine of ours on top of the
    // socket's own send.
    public ValueTask SendAsync(ReadOnlyMemory<byte[]> frames, int length)
    {
        if (frames.Length > 1)
        {
            return engineIo ? SendPacketsAsync(frames) : SendJoinedAsync(frames, length);
        }

        if (engineIo)
        {
            return SendPacketAsync(frames.Span[0]);
        }

        // One 0.6 frame: the shared encoded bytes as they are, no copy (as memory: the array overload returns a Task).
        return socket.SendAsync(frames.Span[0].AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    // 0.6: the frames of a batch joined into one WebSocket message.
    private async ValueTask SendJoinedAsync(ReadOnlyMemory<byte[]> frames, int length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var offset = 0;
            foreach (var frame in frames.Span)
            {
                frame.CopyTo(buffer, offset);
                offset += frame.Length;
            }

            await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Engine.IO, one packet: its own message and its own write (nothing to coalesce).
    private ValueTask SendPacketAsync(byte[] packet)
    {
        var binary = Protocol.EngineIoCodec.IsQueuedBinary(packet);
        return socket.SendAsync(binary ? packet.AsMemory(1) : packet, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text,
            endOfMessage: true, CancellationToken.None);
    }

    // Engine.IO, several packets: each its own message; through a coalescing stream, all of them in one write.
    private async ValueTask SendPacketsAsync(ReadOnlyMemory<byte[]> frames)
    {
        coalescing?.BeginBatch();
        var ended = false;
        try
        {
            for (var i = 0; i < frames.Length; i++)
            {
                await SendPacketAsync(frames.Span[i]).ConfigureAwait(false);
            }

            if (coalescing is not null)
            {
                ended = true;
                await coalescing.EndBatchAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (!ended && coalescing is not null)
            {
                await coalescing.EndBatchAsync(discard: true).ConfigureAwait(false);
            }
        }
    }

    // Wait for data without holding a buffer: an idle connection costs no receive memory. A socket that can no
    // longer read ends the receive as a cancelled read does.
    public ValueTask<ValueWebSocketReceiveResult> WaitAsync(CancellationToken cancellationToken) =>
        socket.State is WebSocketState.Open or WebSocketState.CloseSent ? socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken) : new(NotReading);

    public async ValueTask<WebSocketInbound> ReceiveAsync(ValueTask<ValueWebSocketReceiveResult> waited, CancellationToken cancellationToken)
    {
        try
        {
            var first = await waited.ConfigureAwait(false);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                return WebSocketInbound.ClientClosed;
            }

            var binary = first.MessageType == WebSocketMessageType.Binary;
            if (binary && !engineIo)
            {
                return WebSocketInbound.Invalid(WebSocketCloseStatus.InvalidMessageType, "Socket.IO 0.6 messages are text frames.");
            }

            return await ReceiveMessageAsync(first.EndOfMessage, binary, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return WebSocketInbound.Ended();
        }
        catch (WebSocketException exception) when (exception.WebSocketErrorCode == WebSocketError.Faulted)
        {
            // The WebSocket closed itself on a protocol error it detected (1007 for invalid UTF-8 in a text
            // frame, 1002) and aborted.
            return WebSocketInbound.ClosedByFraming(exception.Message);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException)
        {
            return WebSocketInbound.Ended(exception.Message);
        }
    }

    private async ValueTask<WebSocketInbound> ReceiveMessageAsync(bool endOfMessage, bool binary, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
        var length = 0;
        try
        {
            while (!endOfMessage)
            {
                if (length == buffer.Length)
                {
                    if (length >= maxMessageSize)
                    {
                        return TooBig();
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxMessageSize + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return WebSocketInbound.ClientClosed;
                }

                length += result.Count;
                endOfMessage = result.EndOfMessage;
                if (length > maxMessageSize)
                {
                    return TooBig();
                }
            }

            if (binary)
            {
                return WebSocketInbound.BinaryMessage(buffer.AsSpan(0, length).ToArray());
            }

            try
            {
                return WebSocketInbound.Message(StrictUtf8.GetString(buffer, 0, length), length);
            }
            catch (DecoderFallbackException)
            {
                return WebSocketInbound.Invalid(WebSocketCloseStatus.InvalidPayloadData, "A text message must be valid UTF-8.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private WebSocketInbound TooBig() => WebSocketInbound.Invalid(WebSocketCloseStatus.MessageTooBig, $"A message may have at most {maxMessageSize} bytes.");

    public async ValueTask SendCloseAsync(WebSocketCloseStatus status, string description)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            await socket.CloseOutputAsync(status, CloseReason(description), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DrainAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
        try
        {
            while (socket.State is WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Aborting the WebSocket alone may leave a write to Kestrel's stream waiting for the client; aborting the
    // connection completes it.
    public void Abort()
    {
        socket.Abort();
        context.Abort();
    }

    // A close reason may have at most 123 UTF-8 bytes (RFC 6455 §5.5).
    private static string CloseReason(string text)
    {
        while (Encoding.UTF8.GetByteCount(text) > 123)
        {
            text = text[..^1];
        }

        return text;
    }
}
