using Microsoft.AspNetCore.Http;
using SocketIoChannels.Hosting;

namespace SocketIoChannels.Tests.Unit;

public sealed class OriginPolicyTests
{
    private static string? Refuse(string[] allowed, string host, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString(host);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return new OriginPolicy(allowed).Refuse(context.Request);
    }

    [Theory]
    [InlineData("https://app.example")]
    [InlineData("https://APP.example:443")]
    [InlineData("https://app.example/")]
    public void TheAppsOwnOriginIsAllowedWhateverItsSpelling(string origin) =>
        Assert.Null(Refuse([], "app.example", ("Origin", origin)));

    [Theory]
    [InlineData("http://app.example")]
    [InlineData("https://app.example:8443")]
    [InlineData("https://app.example.evil.test")]
    [InlineData("https://evil.test")]
    [InlineData("null")]
    [InlineData("not a url")]
    public void AnotherSchemePortOrHostIsRefused(string origin) =>
        Assert.Equal(origin, Refuse([], "app.example", ("Origin", origin)));

    [Fact]
    public void ListedOriginsAreAllowedIncludingInternationalNames()
    {
        Assert.Null(Refuse(["https://partner.example:8443"], "app.example", ("Origin", "https://partner.example:8443")));
        Assert.Null(Refuse(["https://bücher.example"], "app.example", ("Origin", "https://xn--bcher-kva.example")));
    }

    [Fact]
    public void WithoutOriginTheRefererDecidesAndWithoutEitherSecFetchSiteDoes()
    {
        Assert.Null(Refuse([], "app.example", ("Referer", "https://app.example/chat?room=1")));
        Assert.NotNull(Refuse([], "app.example", ("Referer", "https://evil.test/page")));
        Assert.NotNull(Refuse([], "app.example", ("Sec-Fetch-Site", "cross-site")));
        Assert.Null(Refuse([], "app.example", ("Sec-Fetch-Site", "same-origin")));
        Assert.Null(Refuse([], "app.example"));
    }

    [Fact]
    public void StarAllowsEverything() =>
        Assert.Null(Refuse(["*"], "app.example", ("Origin", "null")));
}
