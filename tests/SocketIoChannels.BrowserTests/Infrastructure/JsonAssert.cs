using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit.Sdk;

namespace SocketIoChannels.BrowserTests.Infrastructure;

public static class JsonAssert
{
    public static void Equal(JToken expected, JToken actual)
    {
        if (!JToken.DeepEquals(expected, actual))
        {
            throw new XunitException(
                $"JSON differs.{Environment.NewLine}Expected: {expected.ToString(Formatting.None)}{Environment.NewLine}Actual:   {actual.ToString(Formatting.None)}");
        }
    }
}
