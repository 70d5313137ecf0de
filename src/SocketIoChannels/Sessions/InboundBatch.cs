using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>
/// The commands of one payload, queued together for the session loop so that a payload is handled whole and in
/// order. One command (the common case: one frame per payload) is held inline, with no array.
/// </summary>
internal readonly struct InboundBatch
{
    private readonly InboundCommand single;
    private readonly InboundCommand[]? many;

    private InboundBatch(InboundCommand single, InboundCommand[]? many)
    {
        this.single = single;
        this.many = many;
    }

    public int Count => many?.Length ?? 1;

    /// <summary>The batch of <paramref name="commands"/> (at least one), copied out of the list.</summary>
    public static InboundBatch From(List<InboundCommand> commands) =>
        commands.Count == 1 ? new InboundBatch(commands[0], null) : new InboundBatch(default, [.. commands]);

    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates the commands in order without allocating.</summary>
    public struct Enumerator
    {
        private readonly InboundBatch batch;
        private int index;

        public Enumerator(InboundBatch batch)
        {
            this.batch = batch;
            index = -1;
        }

        public readonly InboundCommand Current => batch.many is { } many ? many[index] : batch.single;

        public bool MoveNext() => ++index < batch.Count;
    }
}
