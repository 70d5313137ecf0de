using System.Globalization;

namespace SocketIoChannels.Tests.Load;

/// <summary>Sizes of the load tests: small defaults for ./test.sh, the full sizes from tests/reliability.sh.</summary>
public static class LoadSettings
{
    public static int Int(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
