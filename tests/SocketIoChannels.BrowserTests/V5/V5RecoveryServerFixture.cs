namespace SocketIoChannels.BrowserTests.V5;

/// <summary>A v5 test server with connection state recovery on (<c>MaxDisconnectionDuration</c> 60 s).</summary>
public sealed class V5RecoveryServerFixture() : V5ServerFixture(recovery: true);
