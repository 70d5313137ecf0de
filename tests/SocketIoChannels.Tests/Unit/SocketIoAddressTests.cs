using SocketIoChannels.Hosting;

namespace SocketIoChannels.Tests.Unit;

public sealed class SocketIoAddressTests
{
    [Theory]
    [InlineData("8000", "127.0.0.1", 8000, "http://127.0.0.1:8000")]
    [InlineData("0", "127.0.0.1", 0, "http://127.0.0.1:0")]
    [InlineData("0.0.0.0:8000", "0.0.0.0", 8000, "http://0.0.0.0:8000")]
    [InlineData("192.168.1.20:65535", "192.168.1.20", 65535, "http://192.168.1.20:65535")]
    [InlineData("[::1]:9000", "::1", 9000, "http://[::1]:9000")]
    [InlineData("[::]:80", "::", 80, "http://[::]:80")]
    [InlineData("[2001:db8::1]:8080", "2001:db8::1", 8080, "http://[2001:db8::1]:8080")]
    [InlineData("localhost:8000", "localhost", 8000, "http://localhost:8000")]
    [InlineData("chat.example.com:443", "chat.example.com", 443, "http://chat.example.com:443")]
    public void AnAddrPortGivesTheHostPortAndUrl(string addrport, string host, int port, string url)
    {
        var address = SocketIoAddress.Parse(addrport, "127.0.0.1");

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(url, address.Url);
    }

    [Fact]
    public void ABarePortBindsTheConfiguredHost()
    {
        Assert.Equal("http://0.0.0.0:8000", SocketIoAddress.Parse("8000", "0.0.0.0").Url);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("65536")]
    [InlineData("123456")]
    [InlineData("-1")]
    [InlineData("8000:")]
    [InlineData(":8000")]
    [InlineData("256.1.1.1:80")]
    [InlineData("01.2.3.4:80")]
    [InlineData("::1:80")]
    [InlineData("[::g]:80")]
    [InlineData("[::1]")]
    [InlineData("host_name:80")]
    [InlineData("http://127.0.0.1:80")]
    [InlineData("127.0.0.1:80 ")]
    [InlineData("١٢٣")]
    public void AnInvalidAddrPortIsRefusedWithTheOriginalsMessage(string addrport)
    {
        var error = Assert.Throws<FormatException>(() => SocketIoAddress.Parse(addrport, "127.0.0.1"));

        Assert.Equal($"\"{addrport}\" is not a valid port number or address:port pair.", error.Message);
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:9000")]
    [InlineData("0.0.0.0", "8000", "http://0.0.0.0:8000")]
    [InlineData("::1", null, "http://[::1]:9000")]
    [InlineData("[::1]", "1", "http://[::1]:1")]
    [InlineData("localhost", " 80 ", "http://localhost:80")]
    public void ConfigurationGivesTheAddressWithTheOriginalsDefaults(string? host, string? port, string url)
    {
        Assert.Equal(url, SocketIoAddress.FromConfiguration(host, port).Url);
    }

    [Theory]
    [InlineData(null, "x", "SocketIo:Port \"x\" is not a valid port number (0 to 65535).")]
    [InlineData(null, "70000", "SocketIo:Port \"70000\" is not a valid port number (0 to 65535).")]
    [InlineData("http://host", null, "SocketIo:Host \"http://host\" is not a valid IP address or host name.")]
    public void BadConfigurationIsRefusedNamingTheKey(string? host, string? port, string message)
    {
        var error = Assert.Throws<FormatException>(() => SocketIoAddress.FromConfiguration(host, port));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "8000" }, "8000")]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5000" }, null)]
    [InlineData(new[] { "--environment", "Development", "0.0.0.0:8000" }, "0.0.0.0:8000")]
    [InlineData(new[] { "0.0.0.0:8000", "--SocketIo:Redis=localhost:6379" }, "0.0.0.0:8000")]
    [InlineData(new[] { "SocketIo:Port=1234", "/contentRoot", "/srv/chat", "-e", "Production" }, null)]
    [InlineData(new[] { "--Chat:Database=/tmp/chat.db", "[::1]:80" }, "[::1]:80")]
    public void TheAddrPortIsThePositionalArgument(string[] args, string? expected)
    {
        Assert.Equal(expected, SocketIoCommandLine.FindAddrPort(args));
    }

    [Fact]
    public void TwoPositionalArgumentsAreRefused()
    {
        var error = Assert.Throws<FormatException>(() => SocketIoCommandLine.FindAddrPort(["8000", "9000"]));

        Assert.Contains("Unexpected argument \"9000\"", error.Message);
    }
}
