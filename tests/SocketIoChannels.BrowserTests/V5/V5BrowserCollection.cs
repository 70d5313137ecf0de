namespace SocketIoChannels.BrowserTests.V5;

/// <summary>The test classes that share one <see cref="V5BrowserFixture"/> (one server, one Chromium, one node driver).</summary>
[CollectionDefinition(Name)]
public sealed class V5BrowserCollection : ICollectionFixture<V5BrowserFixture>
{
    public const string Name = "V5 browser";
}
