using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>
/// The channel state of one session: the channels it is subscribed to, in subscription order, and the channels its
/// client claimed. Only <c>Broadcasting/ChannelMembership</c> changes the subscriptions (together with the node's
/// registry, the backplane interest and the metrics), under this object's lock; the claims are counted here when a
/// payload arrives.
/// </summary>
/// <remarks>
/// <para>Claims: the distinct channels the client asked to subscribe to and has not unsubscribed from, counted when
/// its payloads arrive (before they are handled), so that <c>MaxChannelsPerSession</c> holds exactly however fast
/// the client sends. Channels the server subscribes a session to (<c>ISocket.Subscribe</c>) are not claims.</para>
/// <para>Two small arrays searched in order (at most <c>MaxChannelsPerSession</c> claims, 100 by default), each
/// allocated at its first use: an idle session with no channel costs one 48-byte object here, and each array of
/// one channel 32 bytes. No hash set per session.</para>
/// <para>Locked on itself: the object is internal and never handed to code that could lock on it.</para>
/// </remarks>
internal sealed class SessionChannels
{
    private string[]? subscribed;
    private string[]? claimed;
    private int subscribedCount;
    private int claimedCount;

    /// <summary>The subscriptions of the session, in subscription order (a copy).</summary>
    public string[] ToArray()
    {
        lock (this)
        {
            return subscribedCount == 0 ? [] : subscribed.AsSpan(0, subscribedCount).ToArray();
        }
    }

    /// <summary>How many channels the session is subscribed to.</summary>
    public int Count
    {
        get
        {
            lock (this)
            {
                return subscribedCount;
            }
        }
    }

    /// <summary>How many channels its client claimed.</summary>
    public int ClaimCount
    {
        get
        {
            lock (this)
            {
                return claimedCount;
            }
        }
    }

    /// <summary>Set once the session left all its channels (its teardown): no subscription is added any more.</summary>
    public bool Left { get; private set; }

    /// <summary>Applies the (un)subscription claims of one payload, all or nothing. Returns the problem when they
    /// would exceed <paramref name="max"/> channels, and then changes nothing.</summary>
    public string? TryClaim(List<InboundCommand> commands, int max)
    {
        lock (this)
        {
            List<(string Channel, bool Added)>? undo = null;
            foreach (var command in commands)
            {
                if (command.Kind == InboundCommandKind.Subscribe)
                {
                    if (IndexOf(claimed, claimedCount, command.Channel!) >= 0)
                    {
                        continue;
                    }

                    if (claimedCount >= max)
                    {
                        Undo(undo);
                        return $"a session may subscribe to at most {max} channels";
                    }

                    Append(ref claimed, ref claimedCount, command.Channel!);
                    (undo ??= []).Add((command.Channel!, true));
                }
                else if (command.Kind == InboundCommandKind.Unsubscribe && SwapRemove(claimed, ref claimedCount, command.Channel!))
                {
                    (undo ??= []).Add((command.Channel!, false));
                }
            }

            return null;
        }
    }

    /// <summary>Adds a subscription. The caller holds this object's lock. <see langword="false"/> when the session
    /// already had it or has <see cref="Left"/> its channels.</summary>
    public bool AddLocked(string channel)
    {
        if (Left || IndexOf(subscribed, subscribedCount, channel) >= 0)
        {
            return false;
        }

        Append(ref subscribed, ref subscribedCount, channel);
        return true;
    }

    /// <summary>Removes a subscription, keeping the order of the others. The caller holds this object's lock.</summary>
    public bool RemoveLocked(string channel)
    {
        var index = IndexOf(subscribed, subscribedCount, channel);
        if (index < 0)
        {
            return false;
        }

        subscribedCount--;
        Array.Copy(subscribed!, index + 1, subscribed!, index, subscribedCount - index);
        subscribed![subscribedCount] = null!;
        return true;
    }

    /// <summary>Removes every subscription and refuses new ones from now on; returns the removed ones in order.
    /// The caller holds this object's lock.</summary>
    public string[] LeaveLocked()
    {
        Left = true;
        var all = subscribedCount == 0 ? [] : subscribed.AsSpan(0, subscribedCount).ToArray();
        subscribed = null;
        subscribedCount = 0;
        return all;
    }

    private void Undo(List<(string Channel, bool Added)>? undo)
    {
        if (undo is null)
        {
            return;
        }

        for (var i = undo.Count - 1; i >= 0; i--)
        {
            if (undo[i].Added)
            {
                SwapRemove(claimed, ref claimedCount, undo[i].Channel);
            }
            else
            {
                Append(ref claimed, ref claimedCount, undo[i].Channel);
            }
        }
    }

    private static int IndexOf(string[]? items, int count, string channel)
    {
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(items![i], channel, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Append(ref string[]? items, ref int count, string channel)
    {
        if (items is null || count == items.Length)
        {
            Array.Resize(ref items, count == 0 ? 1 : count * 2);
        }

        items[count++] = channel;
    }

    // For the claims, whose order does not matter: only membership and the count are used.
    private static bool SwapRemove(string[]? items, ref int count, string channel)
    {
        var index = IndexOf(items, count, channel);
        if (index < 0)
        {
            return false;
        }

        count--;
        items![index] = items[count];
        items[count] = null!;
        return true;
    }
}
