namespace SocketIoChannels.Events;

/// <summary>The acknowledgement a Socket.IO 5 client asked for with one event: answered at most once, by a
/// handler's <see cref="SocketIoAck"/> or its return value, whichever comes first.</summary>
internal sealed class AckResponder
{
    private readonly SocketHandle socket;
    private readonly long ackId;
    private SocketIoAck? callback;
    private int answered;

    public AckResponder(SocketHandle socket, long ackId)
    {
        this.socket = socket;
        this.ackId = ackId;
    }

    /// <summary>The delegate handed to handlers.</summary>
    public SocketIoAck Callback => callback ??= Answer;

    public bool Answered => Volatile.Read(ref answered) != 0;

    /// <summary>Sends the ACK; <see langword="false"/> when it was already sent.</summary>
    public bool TryAnswer(object?[]? args)
    {
        if (Interlocked.Exchange(ref answered, 1) != 0)
        {
            return false;
        }

        socket.SendAck(ackId, args ?? []);
        return true;
    }

    private void Answer(params object?[] args) => TryAnswer(args);
}
