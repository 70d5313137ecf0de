using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>Scratch lists for decoding a payload, one pair per thread: decoding is synchronous, so a payload needs no
/// lists of its own and a payload of one command allocates no list. Lists grown by an unusually large payload are
/// let go.</summary>
internal static class DecodeScratch
{
    private const int MaxCapacity = 64;
    [ThreadStatic]
    private static List<InboundFrame>? frames;
    [ThreadStatic]
    private static List<InboundCommand>? commands;

    /// <summary>Takes this thread's lists (new ones when a payload were ever decoded within another).</summary>
    public static (List<InboundFrame> Frames, List<InboundCommand> Commands) Rent()
    {
        var taken = (frames ?? [], commands ?? []);
        frames = null;
        commands = null;
        return taken;
    }

    /// <summary>Clears the lists and gives them back to this thread.</summary>
    public static void Return(List<InboundFrame> usedFrames, List<InboundCommand> usedCommands)
    {
        usedFrames.Clear();
        usedCommands.Clear();
        if (usedFrames.Capacity <= MaxCapacity && usedCommands.Capacity <= MaxCapacity)
        {
            frames = usedFrames;
            commands = usedCommands;
        }
    }
}
