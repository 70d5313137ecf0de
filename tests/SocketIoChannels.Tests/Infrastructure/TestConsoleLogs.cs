using Microsoft.Extensions.Logging;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>SOCKETIO_TEST_CONSOLE_LOGS=1 prints every log entry of the test servers and backplanes, one timestamped
/// line each, to the test output (read it with <c>dotnet test --logger "console;verbosity=detailed"</c>): for
/// chasing a rare failure in a loop.</summary>
public static class TestConsoleLogs
{
    public static bool Enabled => Environment.GetEnvironmentVariable("SOCKETIO_TEST_CONSOLE_LOGS") == "1";

    public static ILoggingBuilder AddConsoleWhenAsked(this ILoggingBuilder logging)
    {
        if (Enabled)
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        return logging;
    }
}
