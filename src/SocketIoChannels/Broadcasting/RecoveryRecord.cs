using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Broadcasting;

/// <summary>
/// Connection state recovery (docs/protocol-v5.md §2.3): the server-wide record of recent sends, each with its
/// offset and target, trimmed by age and count on append (no timer), and the suspended sockets by private id.
/// <see cref="Record"/> and <see cref="Missed"/> run under the broadcaster's order lock only, so offsets follow the
/// order in which sends reach every queue.
/// </summary>
internal sealed class RecoveryRecord
{
    private readonly Queue<Entry> entries = new();
    private readonly ConcurrentDictionary<string, Session> suspended = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly long window;
    private readonly int maxEntries;
    private long lastOffset;
    private long trimmedThrough; // every entry up to this offset is gone

    /// <summary>A record for <c>SocketIoOptions.ConnectionStateRecovery</c>: <paramref name="maxDisconnectionDuration"/>
    /// zero turns recovery off.</summary>
    public RecoveryRecord(TimeSpan maxDisconnectionDuration, int maxRecordedSends, TimeProvider time)
    {
        this.time = time;
        Enabled = maxDisconnectionDuration > TimeSpan.Zero;
        Window = maxDisconnectionDuration;
        window = (long)(maxDisconnectionDuration.TotalSeconds * time.TimestampFrequency);
        maxEntries = Math.Max(1, maxRecordedSends);
    }

    /// <summary>Whether recovery is on.</summary>
    public bool Enabled { get; }

    /// <summary>How long a suspended socket stays restorable.</summary>
    public TimeSpan Window { get; }

    /// <summary>Set when the host stops: no socket is suspended from then on.</summary>
    public bool Stopping { get; set; }

    /// <summary>The offset of the last recorded send (under the order lock, or a recent value).</summary>
    public long LastOffset => Volatile.Read(ref lastOffset);

    /// <summary>How many sends are recorded (for tests).</summary>
    public int Count => entries.Count;

    /// <summary>A new private id: unguessable, never a socket id.</summary>
    public static string NewPid() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    /// <summary>Records one send and gives it its offset (the message itself, or a copy when it already had one).
    /// Under the order lock. Sends that take no offset (acks, events that ask for an ack) pass unrecorded.</summary>
    public OutboundMessage Record(OutboundMessage message, in Target target)
    {
        if (!Enabled || !message.IsRecoverable)
        {
            return message;
        }

        var now = time.GetTimestamp();
        Trim(now);
        var offset = lastOffset + 1;
        Volatile.Write(ref lastOffset, offset);
        message = message.WithOffset(offset.ToString(CultureInfo.InvariantCulture));
        entries.Enqueue(new Entry(offset, now, message, target));
        while (entries.Count > maxEntries)
        {
            trimmedThrough = entries.Dequeue().Offset;
        }

        return message;
    }

    /// <summary>The recorded sends after <paramref name="after"/> that targeted <paramref name="socket"/>, in
    /// order; <see langword="null"/> when some send after it is no longer recorded (the socket cannot be
    /// recovered). Under the order lock.</summary>
    public List<OutboundMessage>? Missed(Session socket, long after)
    {
        Trim(time.GetTimestamp());
        if (after < trimmedThrough || after > lastOffset)
        {
            return null;
        }

        var keys = new HashSet<string>(socket.GetChannels().Select(channel => ChannelKeys.For(socket.Namespace, channel)), StringComparer.Ordinal);
        var missed = new List<OutboundMessage>();
        foreach (var entry in entries)
        {
            if (entry.Offset > after && entry.Target.Includes(socket, keys))
            {
                missed.Add(entry.Message);
            }
        }

        return missed;
    }

    /// <summary>Keeps a suspended socket findable by its private id.</summary>
    public void Suspend(Session socket) => suspended[socket.Pid!] = socket;

    /// <summary>Takes the suspended socket with private id <paramref name="pid"/>, if there is one.</summary>
    public Session? Take(string pid) => suspended.TryRemove(pid, out var socket) ? socket : null;

    /// <summary>Forgets a socket that ended.</summary>
    public void Forget(Session socket)
    {
        if (socket.Pid is { } pid)
        {
            suspended.TryRemove(new KeyValuePair<string, Session>(pid, socket));
        }
    }

    private void Trim(long now)
    {
        while (entries.TryPeek(out var oldest) && now - oldest.At > window)
        {
            trimmedThrough = entries.Dequeue().Offset;
        }
    }

    /// <summary>Whom a send went to: every socket of a namespace, the subscribers of channels (by key), or one
    /// socket; <see cref="Except"/> excluded.</summary>
    public readonly record struct Target(string Namespace, string? Channel = null, IReadOnlyList<string>? Channels = null,
        IReadOnlyList<string>? ExceptSubscribersOf = null, string? SessionId = null, Session? Except = null)
    {
        public bool Includes(Session socket, HashSet<string> keys)
        {
            if (SessionId is not null)
            {
                return SessionId == socket.Id; // a session id names a socket of any namespace
            }

            if (ReferenceEquals(socket, Except) || !string.Equals(socket.Namespace, Namespace, StringComparison.Ordinal))
            {
                return false;
            }

            if (Channel is not null)
            {
                return keys.Contains(Channel);
            }

            if (Channels is not null)
            {
                return Channels.Any(keys.Contains) && (ExceptSubscribersOf is null || !ExceptSubscribersOf.Any(keys.Contains));
            }

            return true;
        }
    }

    private sealed record Entry(long Offset, long At, OutboundMessage Message, Target Target);
}
