using System.Threading.Channels;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>A message a raw test client received: plain text or <c>~j~</c> JSON.</summary>
public sealed record Received(bool IsJson, string Text)
{
    public JToken Json => IsJson ? JToken.Parse(Text) : throw new InvalidOperationException("Not JSON: " + Text);

    public override string ToString() => IsJson ? "~j~" + Text : Text;
}

/// <summary>
/// A Socket.IO 0.6 client written for the tests, speaking one transport over raw HTTP or WebSocket, so each
/// transport runs the same behaviour suite. It echoes heartbeats unless told not to.
/// </summary>
public abstract class SocketIoTestClient : IAsyncDisposable
{
    private readonly Channel<Received> received = Channel.CreateUnbounded<Received>();
    private readonly TaskCompletionSource<string> sessionId = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected SocketIoTestClient(Uri server)
    {
        Server = server;
    }

    public Uri Server { get; }

    public string Resource { get; init; } = "socket.io";

    public string SessionId => sessionId.Task.IsCompletedSuccessfully ? sessionId.Task.Result : throw new InvalidOperationException("Not connected.");

    public bool EchoHeartbeats { get; set; } = true;

    public int HeartbeatsReceived;

    /// <summary>Completes when the server closed the connection (or refused the next poll).</summary>
    public Task Closed => closed.Task;

    public abstract string Transport { get; }

    /// <summary>Connects and returns the session id (the first frame).</summary>
    public async Task<string> ConnectAsync(string? resumeSessionId = null)
    {
        if (resumeSessionId is not null)
        {
            // Set first: a resumed session sends no id, and what it had queued may arrive while opening.
            sessionId.TrySetResult(resumeSessionId);
        }

        await OpenAsync(resumeSessionId).DefaultTimeout();

        return await sessionId.Task.DefaultTimeout();
    }

    protected abstract Task OpenAsync(string? resumeSessionId);

    /// <summary>Sends one raw payload as one transport message.</summary>
    public abstract Task SendPayloadAsync(string payload);

    /// <summary>Sends values in one payload: strings as plain frames, anything else as <c>~j~</c> JSON.</summary>
    public Task SendAsync(params object?[] messages) => SendPayloadAsync(FrameCodec.EncodePayload(messages));

    public Task SubscribeAsync(string channel) => SendAsync("__subscribe__", channel);

    public Task UnsubscribeAsync(string channel) => SendAsync("__unsubscribe__", channel);

    public async Task<Received> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TaskTimeouts.Default);
        try
        {
            return await received.Reader.ReadAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Transport} client received nothing within {timeout ?? TaskTimeouts.Default}.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"{Transport} client: the connection closed before a message arrived.");
        }
    }

    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout);
        Assert.False(message.IsJson, "expected text, got " + message);
        return message.Text;
    }

    public async Task<JToken> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout);
        Assert.True(message.IsJson, "expected JSON, got " + message);
        return message.Json;
    }

    /// <summary>Asserts nothing arrives within <paramref name="wait"/>.</summary>
    public async Task AssertNothingReceivedAsync(TimeSpan wait)
    {
        await Task.Delay(wait);
        Assert.False(received.Reader.TryRead(out var message), $"{Transport} client received unexpectedly: {message}");
    }

    protected void OnPayload(string payload)
    {
        var frames = new List<InboundFrame>();
        FrameCodec.TryDecode(payload, frames, out _);
        foreach (var frame in frames)
        {
            if (!sessionId.Task.IsCompleted)
            {
                sessionId.TrySetResult(frame.Text);
                continue;
            }

            switch (frame.Kind)
            {
                case FrameKind.Heartbeat:
                    Interlocked.Increment(ref HeartbeatsReceived);
                    if (EchoHeartbeats)
                    {
                        _ = EchoAsync(frame.Text);
                    }

                    break;
                case FrameKind.Json:
                    received.Writer.TryWrite(new Received(true, frame.Text));
                    break;
                default:
                    received.Writer.TryWrite(new Received(false, frame.Text));
                    break;
            }
        }
    }

    private async Task EchoAsync(string counter)
    {
        try
        {
            var heartbeat = "~h~" + counter;
            await SendPayloadAsync($"~m~{heartbeat.Length}~m~{heartbeat}");
        }
        catch (Exception)
        {
            // The connection is going away; the test sees that through Closed.
        }
    }

    protected void OnClosed(string reason)
    {
        sessionId.TrySetException(new InvalidOperationException($"{Transport} connection closed before the session id arrived: {reason}"));
        CloseReason = reason;

        // Closed first: a reader woken by the end of the messages must find the close complete (the fuzz
        // properties tell a close from a lost message with `when (client.Closed.IsCompleted)`).
        closed.TrySetResult();
        received.Writer.TryComplete();
    }

    public string? CloseReason { get; private set; }

    public abstract ValueTask DisposeAsync();
}
