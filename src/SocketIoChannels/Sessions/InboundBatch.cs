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

    private InboundBatch(InboundCommand single, InboundCommand[]? many, int size)
    {
        this.single = single;
        this.many = many;
        Size = size;
    }

    public int Count => many?.Length ?? 1;

    /// <summary>The length of the payload the commands came from, in characters: what the inbound queue's size
    /// bound counts.</summary>
    public int Size { get; }

    /// <summary>The batch of <paramref name="commands"/> (at least one), copied out of the list, from a payload of
    /// <paramref name="size"/> characters.</summary>
    public static InboundBatch From(List<InboundCommand> commands, int size) =>
        commands.Count == 1 ? new InboundBatch(commands[0], null, size) : new InboundBatch(default, [.. commands], size);

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
