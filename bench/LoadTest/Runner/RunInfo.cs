using System.Text.Json;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>What a run was (its sizes, the command-line options, the machine, when), kept as run.json beside
/// results.json so that <c>LoadTest report</c> can write the report again.</summary>
internal sealed record RunInfo(Profile Profile, Dictionary<string, string> Options, MachineFacts Facts, DateTime Started, DateTime Finished)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
}
