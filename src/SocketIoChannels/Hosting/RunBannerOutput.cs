namespace SocketIoChannels.Hosting;

/// <summary>Where <see cref="RunBanner"/> writes: the console, or a writer a test registers first.</summary>
internal sealed class RunBannerOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}
