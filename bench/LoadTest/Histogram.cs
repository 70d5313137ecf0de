namespace SocketIoChannels.LoadTest;

/// <summary>A lock-free latency histogram: 10 µs buckets up to 20 s (later values land in the last bucket).</summary>
internal sealed class Histogram
{
    private const double BucketMs = 0.01;
    private readonly long[] buckets = new long[2_000_001];
    private long count;

    public long Count => Volatile.Read(ref count);

    public void Record(double ms)
    {
        var index = ms <= 0 ? 0 : (long)(ms / BucketMs);
        Interlocked.Increment(ref buckets[Math.Min(index, buckets.Length - 1)]);
        Interlocked.Increment(ref count);
    }

    /// <summary>The value below which <paramref name="percentile"/> percent of the samples fall, in ms.</summary>
    public double Percentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += Volatile.Read(ref buckets[i]);
            if (seen >= rank)
            {
                return (i + 1) * BucketMs;
            }
        }

        return buckets.Length * BucketMs;
    }
}
