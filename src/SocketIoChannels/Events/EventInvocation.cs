using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Events;

/// <summary>Everything a handler parameter can be bound from, for one event of one session.</summary>
internal sealed class EventInvocation
{
    public required SocketIoEvent Event { get; init; }

    public required SocketHandle Socket { get; init; }

    /// <summary>The event's DI scope; the root provider until a handler that uses services runs (see
    /// <see cref="HandlerMethod.UsesServices"/>).</summary>
    public required IServiceProvider Services { get; set; }

    public JToken? Message { get; init; }

    public string? Channel { get; init; }

    public Exception? Exception { get; init; }

    public CancellationToken CancellationToken { get; init; }
}
