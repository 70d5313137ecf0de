using System.Diagnostics;
using CsCheck;
using Microsoft.AspNetCore.WebUtilities;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Properties;

/// <summary>
/// <see cref="SocketIoRequest.Query"/> is read without ASP.NET Core (the snapshot lives in the session layer): its
/// values must stay those of <c>QueryHelpers.ParseQuery</c>, which the request snapshot used before.
/// </summary>
public sealed class QueryStringPropertyTests
{
    private static readonly Gen<string> Query = Gen.OneOf(
            Gen.Const("?"), Gen.Const("&"), Gen.Const("="), Gen.Const("+"), Gen.Const("%"), Gen.Const("%2"), Gen.Const("%20"),
            Gen.Const("%2B"), Gen.Const("%26"), Gen.Const("%3D"), Gen.Const("%C3%A9"), Gen.Const("%E2%82"), Gen.Const("%zz"),
            Gen.Const("é"), Gen.Const("a"), Gen.Const("A"), Gen.Const("b"), Gen.Const("B"), Gen.Const(" "), Gen.Const(","),
            Gen.Const("\u0000"), Gen.Const("\ud83d\ude00"), Gen.Const("\ud800"))
        .Array[0, 24]
        .Select(parts => string.Concat(parts));

    private static List<KeyValuePair<string, string>> AsAspNetCoreReadIt(string queryString) =>
        string.IsNullOrEmpty(queryString) || queryString == "?"
            ? []
            : [.. QueryHelpers.ParseQuery(queryString).Select(pair => new KeyValuePair<string, string>(pair.Key, pair.Value.ToString()))];

    private static SocketIoRequest Request(string queryString) =>
        new("GET", "http", "localhost", string.Empty, "/socket.io/websocket", queryString,
            new Dictionary<string, string>(), new Dictionary<string, string>(), null, null);

    [Theory]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("?a=1&A=2&b")]
    [InlineData("?=x&&c=%zz+%41&b=1=2")]
    [InlineData("a=%E2%82%AC&a=&a")]
    public void QueryValuesAreThoseOfAspNetCore(string queryString)
    {
        Assert.Equal(AsAspNetCoreReadIt(queryString), Request(queryString).Query.ToList());
    }

    [Fact]
    public async Task QueryValuesAreThoseOfAspNetCoreForAnyQueryString()
    {
        var iterations = FuzzSettings.Iterations(20_000);
        var watch = Stopwatch.StartNew();
        await Task.Run(() => Query.Sample(
                queryString => Assert.Equal(AsAspNetCoreReadIt(queryString), Request(queryString).Query.ToList()),
                iter: iterations))
            .WaitAsync(FuzzSettings.Limit(TimeSpan.FromSeconds(60)));
        FuzzSettings.Report(nameof(QueryValuesAreThoseOfAspNetCoreForAnyQueryString), iterations, watch);
    }
}
