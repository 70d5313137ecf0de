using SocketIoChannels;

namespace ReadmeExample;

// For today's clients (socket.io-client 3/4): socket.emit("add", 2, 3, sum => ...) runs this method with the
// event's arguments bound by position; the return value answers the client's callback.
public class MathHandlers
{
    [OnEvent("add")]
    public int Add(int a, int b) => a + b;
}
