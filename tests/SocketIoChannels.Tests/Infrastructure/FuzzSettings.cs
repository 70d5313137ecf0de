using System.Diagnostics;
using CsCheck;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// How many inputs the property tests try: the count each test names, times <c>SOCKETIO_FUZZ_SCALE</c> (default 1,
/// a few seconds for the whole suite; <c>tests/fuzz.sh</c> raises it). Each test appends its count and duration to
/// the file named by <c>SOCKETIO_FUZZ_REPORT</c>, when set.
/// </summary>
public static class FuzzSettings
{
    public static double Scale { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("SOCKETIO_FUZZ_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1;

    /// <summary>The iterations for a test whose short run tries <paramref name="shortRun"/> inputs.</summary>
    public static int Iterations(int shortRun) => (int)Math.Min(int.MaxValue, Math.Ceiling(shortRun * Scale));

    /// <summary>A time limit that grows with the scale: a property that hangs fails instead of blocking the run.</summary>
    public static TimeSpan Limit(TimeSpan shortRun) => TimeSpan.FromTicks((long)(shortRun.Ticks * Math.Max(1, Scale)));

    /// <summary>Checks <paramref name="property"/> on <see cref="Iterations"/> inputs of <paramref name="gen"/> (within
    /// <see cref="Limit"/> of 60 s), reports the run, and asserts every input was tried.</summary>
    public static async Task SampleAsync<T>(string name, Gen<T> gen, Action<T> property, int shortRun)
    {
        var iterations = Iterations(shortRun);
        var watch = Stopwatch.StartNew();
        var tried = 0L;
        await Task.Run(() => gen.Sample(input =>
            {
                Interlocked.Increment(ref tried);
                property(input);
            }, iter: iterations))
            .WaitAsync(Limit(TimeSpan.FromSeconds(60)));
        Report(name, tried, watch);
        Assert.Equal(iterations, tried);
    }

    public static void Report(string property, long inputs, Stopwatch watch)
    {
        var path = Environment.GetEnvironmentVariable("SOCKETIO_FUZZ_REPORT");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var line = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{property}\t{inputs}\t{watch.Elapsed.TotalSeconds:F1}{Environment.NewLine}");
        lock (typeof(FuzzSettings))
        {
            File.AppendAllText(path, line);
        }
    }
}
