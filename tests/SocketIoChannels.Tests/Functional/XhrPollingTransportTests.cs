namespace SocketIoChannels.Tests.Functional;

/// <summary>The shared transport behaviour and the polling cases, over xhr-polling.</summary>
public sealed class XhrPollingTransportTests : PollingTransportTests
{
    protected override bool Jsonp => false;
}
