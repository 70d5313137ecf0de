using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Events;

/// <summary>Everything a handler parameter can be bound from, for one event of one session.</summary>
internal sealed class EventInvocation
{
    private static readonly object NoResult = new();
    private object? result = NoResult;

    public required SocketIoEvent Event { get; init; }

    public required SocketHandle Socket { get; init; }

    /// <summary>The event's DI scope; the root provider until a handler that uses services runs (see
    /// <see cref="HandlerMethod.UsesServices"/>).</summary>
    public required IServiceProvider Services { get; set; }

    /// <summary>The message (OnMessage), or the first argument of an event.</summary>
    public JToken? Message { get; init; }

    /// <summary>What only a Socket.IO 5 event or message has (one field, so a 0.6 event's invocation stays small).</summary>
    public V5Arguments? V5 { get; init; }

    /// <summary>All the arguments of a Socket.IO 5 event or message; <see langword="null"/> for a 0.6 message
    /// (whose one argument is <see cref="Message"/>).</summary>
    public JToken[]? Args => V5?.Args;

    /// <summary>The name of a Socket.IO 5 event (<see cref="SocketIoEvent.Event"/>).</summary>
    public string? EventName => V5?.EventName;

    /// <summary>The acknowledgement the client asked for, or <see langword="null"/>.</summary>
    public AckResponder? Ack => V5?.Ack;

    public string? Channel { get; init; }

    public Exception? Exception { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>The <see cref="SocketIoAck"/> parameter: <see langword="null"/> when the client asked for none.</summary>
    public SocketIoAck? AckCallback => Ack?.Callback;

    /// <summary>Every argument: the event's, or the one 0.6 message.</summary>
    public JToken[] AllArgs => Args ?? (Message is null ? [] : [Message]);

    /// <summary>The argument at <paramref name="position"/>, or <see langword="null"/> when there are fewer.</summary>
    public JToken? Arg(int position)
    {
        if (Args is null)
        {
            return position == 0 ? Message : null;
        }

        return position < Args.Length ? Args[position] : null;
    }

    /// <summary>Keeps a handler's return value (the compiled invoker calls it).</summary>
    public void SetResult(object? value) => result = value;

    /// <summary>The return value of the handler that just ran, once.</summary>
    public bool TakeResult(out object? value)
    {
        if (ReferenceEquals(result, NoResult))
        {
            value = null;
            return false;
        }

        value = result;
        result = NoResult;
        return true;
    }
}
