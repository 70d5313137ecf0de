using System.Buffers;
using System.Text;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Tests.Unit;

public sealed class FlashPolicyUnitTests
{
    [Fact]
    public void ThePolicyHasOneAllowLinePerHostPortPattern()
    {
        var xml = Encoding.UTF8.GetString(FlashPolicy.Create(["example.com:*", "*:8080"]));

        Assert.Contains("<cross-domain-policy>\n<allow-access-from domain=\"example.com\" to-ports=\"*\"/>\n<allow-access-from domain=\"*\" to-ports=\"8080\"/>\n</cross-domain-policy>\n", xml);
        Assert.DoesNotContain('\0', xml);
        Assert.DoesNotContain('\r', xml);
    }

    [Theory]
    [InlineData("<policy-file-request/>\0", true)]
    [InlineData("<policy-file-request/>\0GET", true)]
    [InlineData("<policy-file", null)]
    [InlineData("<", null)]
    [InlineData("GET / HTTP/1.1\r\n", false)]
    [InlineData("<policy-file-request/>x", false)]
    [InlineData("<polixy", false)]
    public void TheRequestIsRecognisedFromItsFirstBytes(string received, bool? expected)
    {
        Assert.Equal(expected, FlashPolicy.IsRequest(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(received))));
    }
}
