namespace SocketIoChannels.LoadTest.Client;

/// <summary>What <c>/bench/stats</c> reports. The .NET servers add the bytes allocated so far and the thread-pool
/// work items completed so far (-1 from the node servers).</summary>
internal readonly record struct ServerStats(int Subscribers, long GcHeapBytes, long RssBytes, long Published, long PublishTimeouts, long AllocatedBytes = -1, long WorkItems = -1);
