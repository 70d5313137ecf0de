namespace SocketIoChannels.Broadcasting;

/// <summary>
/// The key of a channel of one namespace in this node's registry and on the backplane: the name itself in <c>/</c>
/// (where every 0.6 session lives, so the keys of an existing cluster stay the same), <c>namespace#name</c> in any
/// other. A name in <c>/</c> may look like another namespace's key; delivery also checks each session's namespace,
/// so such a look-alike only shares a count, never a message.
/// </summary>
internal static class ChannelKeys
{
    public const string DefaultNamespace = "/";

    public static string For(string nsp, string channel) =>
        IsDefault(nsp) ? channel : string.Concat(nsp, "#", channel);

    public static bool IsDefault(string nsp) => ReferenceEquals(nsp, DefaultNamespace) || nsp == DefaultNamespace;
}
