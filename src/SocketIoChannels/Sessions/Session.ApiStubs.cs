#pragma warning disable CA1822
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Sessions;

// TEMPORARY (branch v5-api): the signatures helper "engine" implements on v5-engine (Session.Acks.cs, Session.V5.cs),
// so this branch builds before the merge. Delete this file when merging v5-engine.
internal sealed partial class Session
{
    public bool ConnectRefused { get; private set; }

    public void AcceptConnect()
    {
    }

    public void RefuseConnect(string message, JToken? data)
    {
        _ = message;
        _ = data;
        ConnectRefused = Protocol == SessionProtocol.SocketIo5;
    }

    public long RegisterAck(out Task<JToken[]> answer)
    {
        answer = new TaskCompletionSource<JToken[]>().Task;
        return 0;
    }

    public void CompleteAck(long id, JToken[] args)
    {
        _ = id;
        _ = args;
    }

    public void ForgetAck(long id) => _ = id;
}
