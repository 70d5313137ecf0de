namespace SocketIoChannels.Tests.Functional.V5;

/// <summary>The handlers <see cref="DotNetClientTests"/> talk to: a typed event whose return value is the ack.</summary>
public sealed class DotNetClientHandlers
{
    [OnEvent("add")]
    public int Add(int a, int b) => a + b;

    [OnEvent("whoami")]
    public string WhoAmI(ISocket socket) => socket.Auth.Value<string>("user") ?? "(nobody)";
}
