using Microsoft.Extensions.Configuration;
using SocketIoChannels.Hosting;

namespace SocketIoChannels.Tests.Unit;

public sealed class InputLimitOptionsTests
{
    private static IEnumerable<string> Failures(Action<SocketIoOptions> change)
    {
        var options = new SocketIoOptions();
        change(options);
        return new SocketIoOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Fact]
    public void TheDefaultsAreSafeAndValid()
    {
        var options = new SocketIoOptions();

        Assert.Equal((1000, 256, 100, 1024 * 1024L), (options.MaxFramesPerPayload, options.MaxChannelNameLength, options.MaxChannelsPerSession, options.MaxMessageSize));
        Assert.Empty(options.AllowedOrigins);
        Assert.Empty(Failures(_ => { }));
    }

    [Theory]
    [InlineData(nameof(SocketIoOptions.MaxFramesPerPayload), "SocketIo:MaxFramesPerPayload must be at least 2 (was 1).")]
    [InlineData(nameof(SocketIoOptions.MaxChannelNameLength), "SocketIo:MaxChannelNameLength must be at least 1 (was 0).")]
    [InlineData(nameof(SocketIoOptions.MaxChannelsPerSession), "SocketIo:MaxChannelsPerSession must be at least 1 (was 0).")]
    public void LimitsBelowTheirMinimumAreNamed(string option, string failure)
    {
        var failures = Failures(o =>
        {
            o.MaxFramesPerPayload = option == nameof(o.MaxFramesPerPayload) ? 1 : o.MaxFramesPerPayload;
            o.MaxChannelNameLength = option == nameof(o.MaxChannelNameLength) ? 0 : o.MaxChannelNameLength;
            o.MaxChannelsPerSession = option == nameof(o.MaxChannelsPerSession) ? 0 : o.MaxChannelsPerSession;
        });

        Assert.Equal(failure, Assert.Single(failures));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(int.MaxValue / 2 + 1)]
    public void TheInboundQueueSizeMustBeSane(int bytes)
    {
        Assert.Equal(4 * 1024 * 1024, new SocketIoOptions().MaxQueuedInboundBytes);
        var failure = Assert.Single(Failures(o => o.MaxQueuedInboundBytes = bytes));
        Assert.Equal($"SocketIo:MaxQueuedInboundBytes must be between 64 and {int.MaxValue / 2} bytes (was {bytes}).", failure);
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("https://example.com", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("https://example.com/", true)]
    [InlineData("example.com", false)]
    [InlineData("https://example.com/chat", false)]
    [InlineData("ftp://example.com", false)]
    [InlineData("https://*.example.com", false)]
    public void AllowedOriginsMustBeOriginsOrStar(string origin, bool valid)
    {
        var failures = Failures(o => o.AllowedOrigins.Add(origin));

        Assert.Equal(valid, !failures.Any());
        if (!valid)
        {
            Assert.Contains(origin, Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AllowedOriginsBindFromConfiguration()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SocketIo:AllowedOrigins:0"] = "https://www.example.com",
                ["SocketIo:AllowedOrigins:1"] = "https://admin.example.com",
                ["SocketIo:MaxChannelsPerSession"] = "5",
            })
            .Build();
        var options = new SocketIoOptions();

        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection(SocketIoOptions.SectionName), options);

        Assert.Equal(["https://www.example.com", "https://admin.example.com"], options.AllowedOrigins);
        Assert.Equal(5, options.MaxChannelsPerSession);
    }
}
