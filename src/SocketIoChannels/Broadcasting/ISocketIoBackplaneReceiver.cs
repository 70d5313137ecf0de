namespace SocketIoChannels;

/// <summary>The core's side of an <see cref="ISocketIoBackplane"/>: where it delivers the messages it
/// receives.</summary>
public interface ISocketIoBackplaneReceiver
{
    /// <summary>Delivers a received message to the matching sessions of this node, without waiting for any of
    /// them, and returns how many it was queued for. Messages this node published itself are ignored (0).</summary>
    int Receive(BackplaneMessage message);
}
