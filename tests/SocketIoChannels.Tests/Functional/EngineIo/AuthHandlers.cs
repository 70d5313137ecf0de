namespace SocketIoChannels.Tests.Functional.EngineIo;

/// <summary>Emits the socket's auth to it on connect (connection state recovery tests).</summary>
public sealed class AuthHandlers
{
    [OnConnect]
    public void Connect(ISocket socket) => socket.Emit("auth", socket.Auth);
}
