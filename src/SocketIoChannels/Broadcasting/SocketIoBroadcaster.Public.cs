using System.Collections.Concurrent;

namespace SocketIoChannels.Broadcasting;

/// <summary>The <see cref="ISocketIoBroadcaster"/> the app injects: namespace <c>/</c>, and <see cref="Of"/> for
/// the others.</summary>
internal sealed partial class SocketIoBroadcaster : ISocketIoBroadcaster
{
    private readonly ConcurrentDictionary<string, NamespaceBroadcaster> namespaces = new(StringComparer.Ordinal);
    private NamespaceBroadcaster? root;

    private NamespaceBroadcaster Root => root ??= new NamespaceBroadcaster(this, ChannelKeys.DefaultNamespace);

    public string Namespace => ChannelKeys.DefaultNamespace;

    public int SessionCount => sessions.Count;

    /// <summary>Every session of this node, of every namespace.</summary>
    public int SessionCountAll => sessions.Count;

    public ISocketIoBroadcaster Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name[0] != '/')
        {
            throw new ArgumentException($"A namespace starts with '/' (for example \"/admin\"); \"{name}\" does not.", nameof(name));
        }

        return ChannelKeys.IsDefault(name) ? this : namespaces.GetOrAdd(name, nsp => new NamespaceBroadcaster(this, nsp));
    }

    /// <summary>How many sockets of namespace <paramref name="nsp"/> are alive on this node.</summary>
    public int CountSessionsIn(string nsp) => sessions.All.Count(session => InNamespace(session, nsp));

    public int CountSubscribers(string channel) => Root.CountSubscribers(channel);

    /// <summary>The local subscribers of a channel key (see <see cref="ChannelKeys"/>).</summary>
    public int CountSubscribersOfKey(string key) => channels.Count(key);

    Task<int> ISocketIoBroadcaster.CountSubscribersAsync(string channel, CancellationToken cancellationToken) =>
        Root.CountSubscribersAsync(channel, cancellationToken);

    public int Broadcast(object? message) => Root.Broadcast(message);

    public int BroadcastChannel(object? message, string channel) => Root.BroadcastChannel(message, channel);

    public void Send(string sessionId, object? message) => Root.Send(sessionId, message);

    public Task<int> BroadcastAsync(object? message, CancellationToken cancellationToken = default) => Root.BroadcastAsync(message, cancellationToken);

    public Task<int> BroadcastChannelAsync(object? message, string channel, CancellationToken cancellationToken = default) =>
        Root.BroadcastChannelAsync(message, channel, cancellationToken);

    public Task SendAsync(string sessionId, object? message, CancellationToken cancellationToken = default) =>
        Root.SendAsync(sessionId, message, cancellationToken);

    public int Emit(string eventName, params object?[] args) => Root.Emit(eventName, args);

    public int EmitChannel(string channel, string eventName, params object?[] args) => Root.EmitChannel(channel, eventName, args);

    public void EmitToSession(string sessionId, string eventName, params object?[] args) => Root.EmitToSession(sessionId, eventName, args);

    public Task<int> EmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        Root.EmitAsync(eventName, args, cancellationToken);

    public Task<int> EmitChannelAsync(string channel, string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        Root.EmitChannelAsync(channel, eventName, args, cancellationToken);

    public Task EmitToSessionAsync(string sessionId, string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        Root.EmitToSessionAsync(sessionId, eventName, args, cancellationToken);
}
