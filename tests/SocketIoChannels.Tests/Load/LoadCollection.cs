namespace SocketIoChannels.Tests.Load;

/// <summary>The load tests run alone, after the others, one at a time: they measure throughput and memory.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}
