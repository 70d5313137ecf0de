using System.Diagnostics;
using System.Net;
using System.Text;
using CsCheck;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;
using SocketIoChannels.Tests.Infrastructure;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Tests.Properties;

/// <summary>
/// Properties of the pure protocol code (frame codec, command parser, limits, urlencoded form fields) over random
/// and mutated input: nothing escapes but the documented refusal, and valid payloads round-trip exactly.
/// </summary>
public sealed class CodecPropertyTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private static readonly InboundLimits Limits = InboundLimits.Default;

    private static Task RunAsync<T>(string name, Gen<T> gen, Action<T> property, int shortRun) =>
        FuzzSettings.SampleAsync(name, gen, property, shortRun);

    private static (List<InboundFrame> Frames, List<InboundCommand> Commands) Parse(string payload, bool textarea = false)
    {
        var frames = new List<InboundFrame>();
        var commands = new List<InboundCommand>();
        InboundPayload.Parse(payload, textarea, Limits, frames, commands);
        return (frames, commands);
    }

    [Fact]
    public Task EveryStringTheServerSendsArrivesExactlyLoneSurrogatesAndEmojiIncluded() =>
        RunAsync("outbound strings", Generators.AnyText, text =>
        {
            var bytes = FrameCodec.EncodeFrame(text);
            var wire = StrictUtf8.GetString(bytes); // always valid UTF-8: a lone surrogate goes as a JSON escape
            var frames = new List<InboundFrame>();
            Assert.True(FrameCodec.TryDecode(wire, frames, out _));
            var frame = Assert.Single(frames);
            // Read as a browser does: JavaScript's JSON.parse keeps a \uD800 escape as that code unit.
            var received = frame.Kind == FrameKind.Json ? JavaScriptString(frame.Text) : frame.Text;
            Assert.NotEqual(FrameKind.Heartbeat, frame.Kind);
            Assert.Equal(text, received);
        }, 8_000);

    /// <summary>Decodes a JSON string literal as JavaScript's JSON.parse does, lone surrogates kept.</summary>
    private static string JavaScriptString(string literal)
    {
        Assert.True(literal.Length >= 2 && literal[0] == '"' && literal[^1] == '"', literal);
        var builder = new StringBuilder();
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            c = literal[++i];
            builder.Append(c switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => (char)Convert.ToInt32(literal.Substring(i + 1, 4), 16),
                _ => c,
            });
            if (c == 'u')
            {
                i += 4;
            }
        }

        return builder.ToString();
    }

    [Fact]
    public Task EveryJsonValueTheServerSendsArrivesEqual() =>
        RunAsync("outbound JSON", Gen.Select(Generators.Text(false), Generators.Text(false), Gen.Double, Gen.Bool), tuple =>
        {
            var (key, value, number, flag) = tuple;
            var token = new JObject
            {
                [key] = value,
                ["n"] = double.IsFinite(number) ? number : 0,
                ["list"] = new JArray(value, flag, JValue.CreateNull(), new JObject { [value] = key }),
            };
            var wire = StrictUtf8.GetString(FrameCodec.EncodeFrame(token));
            var frames = new List<InboundFrame>();
            Assert.True(FrameCodec.TryDecode(wire, frames, out _));
            Assert.Equal(FrameKind.Json, Assert.Single(frames).Kind);
            Assert.True(JToken.DeepEquals(token, JToken.Parse(frames[0].Text)), wire);
        }, 4_000);

    [Fact]
    public Task ValidClientPayloadsRoundTripThroughWebSocketTextAndForms() =>
        RunAsync("inbound valid payloads", Generators.ClientText.Array[1, 6], texts =>
        {
            var payload = string.Concat(texts.Select(Generators.Frame));
            var overWebSocket = StrictUtf8.GetString(Encoding.UTF8.GetBytes(payload));
            var xhrBody = Encoding.UTF8.GetBytes("data=" + Uri.EscapeDataString(payload));
            var jsonpBody = Encoding.UTF8.GetBytes("data=" + WebUtility.UrlEncode(payload.Replace("\n", "\r\n", StringComparison.Ordinal)));
            foreach (var (received, textarea) in new[] { (overWebSocket, false), (FormField.Find(xhrBody, "data"u8)!, false), (FormField.Find(jsonpBody, "data"u8)!, true) })
            {
                var (_, commands) = Parse(received, textarea);
                Assert.Equal(texts, commands.Select(c => c.Message!.Value<string>()));
            }
        }, 4_000);

    [Fact]
    public Task MutatedPayloadsAreEitherUsedWholeOrRefusedWithAReason() =>
        RunAsync("inbound mutated payloads", Generators.MutatedPayload, payload =>
        {
            try
            {
                var (frames, commands) = Parse(payload, textarea: payload.Length % 2 == 0);
                Assert.True(commands.Count <= frames.Count);
            }
            catch (InvalidPayloadException refused)
            {
                Assert.False(string.IsNullOrWhiteSpace(refused.Message));
                Assert.True(Encoding.UTF8.GetByteCount(refused.Message) < 200, refused.Message);
            }
        }, 10_000);

    [Fact]
    public Task RandomTextIsEitherUsedWholeOrRefusedWithAReason() =>
        RunAsync("inbound random text", Generators.AnyText, payload =>
        {
            try
            {
                Parse(payload);
            }
            catch (InvalidPayloadException)
            {
            }
        }, 10_000);

    [Fact]
    public Task RandomFormBodiesAreDecodedOrRefusedAsInvalidUtf8() =>
        RunAsync("urlencoded bodies", Gen.Byte.Array[0, 200], body =>
        {
            try
            {
                var value = FormField.Find(body, "data"u8);
                Assert.True(value is null || value.Length <= body.Length);
            }
            catch (TransportException refused)
            {
                Assert.Equal(400, refused.StatusCode);
            }
        }, 30_000);

    [Fact]
    public Task SubscriptionsPastTheCapAreRefusedAndChangeNothing() =>
        RunAsync("channel claims", Gen.Int[0, 12].Array[1, 60], script =>
        {
            var claims = new SocketIoChannels.Sessions.SessionChannels();
            var limits = new InboundLimits(1000, 256, 5);
            var model = new HashSet<string>();
            foreach (var step in script)
            {
                var channel = "c" + (step % 8);
                var marker = step < 8 ? "__subscribe__" : "__unsubscribe__";
                var payload = Generators.Frame(marker) + Generators.Frame(channel);
                var wouldBe = new HashSet<string>(model);
                if (step < 8) { wouldBe.Add(channel); } else { wouldBe.Remove(channel); }
                try
                {
                    var commands = new List<InboundCommand>();
                    InboundPayload.Parse(payload, false, limits, [], commands);
                    if (claims.TryClaim(commands, limits.MaxChannelsPerSession) is { } problem)
                    {
                        throw new InvalidPayloadException(problem, overLimit: true);
                    }

                    Assert.True(wouldBe.Count <= 5);
                    model = wouldBe;
                }
                catch (InvalidPayloadException refused)
                {
                    Assert.True(refused.OverLimit);
                    Assert.True(wouldBe.Count > 5);
                }

                Assert.Equal(model.Count, claims.ClaimCount);
            }
        }, 1_000);
}
