namespace SocketIoChannels.LoadTest.Client;

/// <summary>What <c>/bench/stats</c> reports.</summary>
internal readonly record struct ServerStats(int Subscribers, long GcHeapBytes, long RssBytes, long Published, long PublishTimeouts);
