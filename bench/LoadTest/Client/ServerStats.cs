namespace SocketIoChannels.LoadTest.Client;

/// <summary>What <c>/bench/stats</c> reports.</summary>
/// <remarks><see cref="AllocatedBytes"/> and <see cref="WorkItems"/> (the .NET servers' total allocations and thread-pool
/// work items so far) are -1 for a server that does not report them (node).</remarks>
internal readonly record struct ServerStats(int Subscribers, long GcHeapBytes, long RssBytes, long Published, long PublishTimeouts, long AllocatedBytes = -1, long WorkItems = -1);
