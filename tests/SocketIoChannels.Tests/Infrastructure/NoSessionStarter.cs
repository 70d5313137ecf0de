using Newtonsoft.Json.Linq;
using SocketIoChannels.Sessions;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>An <see cref="ISessionStarter"/> for tests whose Engine.IO sessions never start a session or socket:
/// starting one is a test defect.</summary>
internal sealed class NoSessionStarter : ISessionStarter
{
    public static readonly NoSessionStarter Instance = new();

    public Session? StartSession(string transport, SocketIoRequest request) => throw new NotSupportedException();

    public Session? StartSocket(EngineIoSession engine, string nsp, JObject? auth) => throw new NotSupportedException();

    public bool HasNamespace(string nsp) => false;
}
