using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Backplane;

/// <summary>The backplane specification against the in-process fake the core tests use.</summary>
public sealed class InMemoryBackplaneSpecificationTests : BackplaneSpecification
{
    private readonly InMemoryBackplaneBus bus = new() { PresenceExpiry = TimeSpan.FromMilliseconds(300) };

    protected override Task<ISocketIoBackplane> CreateBackplaneAsync() => Task.FromResult<ISocketIoBackplane>(bus.CreateNode());

    protected override Task KillAsync(ISocketIoBackplane backplane)
    {
        ((InMemoryBackplane)backplane).Die();
        return Task.CompletedTask;
    }
}
