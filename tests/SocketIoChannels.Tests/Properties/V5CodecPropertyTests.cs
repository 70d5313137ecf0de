using System.Diagnostics;
using CsCheck;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Properties;

/// <summary>
/// Properties of the Engine.IO 4 and Socket.IO 5 codecs over random and damaged input: every valid packet and
/// payload round-trips exactly, and nothing a client can send escapes as an exception or allocates by what it
/// announces.
/// </summary>
public sealed class V5CodecPropertyTests
{
    private static Task RunAsync<T>(string name, Gen<T> gen, Action<T> property, int shortRun) =>
        FuzzSettings.SampleAsync(name, gen, property, shortRun);

    private static readonly Gen<string> PacketText = Generators.Text(loneSurrogates: false)
        .Select(t => t.Replace(EngineIoCodec.RecordSeparator, ' '));

    private static readonly Gen<EngineIoPacket> EnginePacket = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 6], PacketText, (type, text) => EngineIoPacket.FromText((EngineIoPacketType)type, text))),
        (1, Gen.Byte.Array[0, 64].Select(EngineIoPacket.FromBinary)));

    private static readonly Gen<JToken> JsonValue = Gen.Frequency(
        (3, Generators.Text(loneSurrogates: false).Select(s => (JToken)new JValue(s))),
        (2, Gen.Long.Select(n => (JToken)new JValue(n))),
        (1, Gen.Double.Where(d => double.IsFinite(d)).Select(d => (JToken)new JValue(d))),
        (1, Gen.Bool.Select(b => (JToken)new JValue(b))),
        (1, Gen.Const(() => (JToken)JValue.CreateNull())));

    private static readonly Gen<JToken> Json = Gen.Frequency(
        (3, JsonValue),
        (1, JsonValue.Array[0, 4].Select(items => (JToken)new JArray(items))),
        (1, Gen.Select(Generators.Text(false).Array[0, 3], JsonValue.Array[3], (keys, values) =>
        {
            var obj = new JObject();
            for (var i = 0; i < keys.Length; i++)
            {
                obj[keys[i]] = values[i];
            }

            return (JToken)obj;
        })));

    private static readonly Gen<string> Namespace = Gen.Frequency(
        (3, Gen.Const("/")),
        (1, Generators.Text(false).Select(t => "/" + t.Replace(",", string.Empty, StringComparison.Ordinal))));

    private static readonly Gen<long?> AckId = Gen.Frequency(
        (2, Gen.Const(default(long?))),
        (1, Gen.Long[0, SocketIoPacketCodec.MaxAckId].Select(n => (long?)n)));

    /// <summary>A valid packet: its type, namespace, ack id, attachment count and payload.</summary>
    private static readonly Gen<SocketIoPacket> ValidPacket = Gen.Select(Gen.Int[0, 6], Namespace, AckId, Json.Array[0, 4], Gen.Int[0, 10],
        (type, nsp, ack, args, attachments) => (SocketIoPacketType)type switch
        {
            SocketIoPacketType.Connect => new SocketIoPacket(SocketIoPacketType.Connect, nsp, null, 0, args.Length == 0 ? null : new JObject { ["auth"] = new JArray(args) }),
            SocketIoPacketType.Disconnect => new SocketIoPacket(SocketIoPacketType.Disconnect, nsp, null, 0, null),
            SocketIoPacketType.Event => new SocketIoPacket(SocketIoPacketType.Event, nsp, ack, 0, new JArray(["ev", .. args])),
            SocketIoPacketType.Ack => new SocketIoPacket(SocketIoPacketType.Ack, nsp, ack ?? 0, 0, new JArray(args)),
            SocketIoPacketType.ConnectError => new SocketIoPacket(SocketIoPacketType.ConnectError, nsp, null, 0, new JObject { ["message"] = "refused" }),
            SocketIoPacketType.BinaryEvent => new SocketIoPacket(SocketIoPacketType.BinaryEvent, nsp, ack, attachments, new JArray(["ev", .. args])),
            _ => new SocketIoPacket(SocketIoPacketType.BinaryAck, nsp, ack ?? 0, attachments, new JArray(args)),
        });

    private static string Encode(SocketIoPacket p) => SocketIoPacketCodec.Encode(p.Type, p.Namespace, p.AckId, p.Data, p.Attachments);

    private static readonly Gen<string> DamagedPacket = Gen.Select(ValidPacket, Gen.Int[0, 5], Gen.Int[0, 1000], Generators.AnyText,
        (packet, kind, where, noise) =>
        {
            var text = Encode(packet);
            var at = text.Length == 0 ? 0 : where % text.Length;
            return kind switch
            {
                0 => text.Remove(at, 1),
                1 => text.Insert(at, noise),
                2 => text[..at],
                3 => text.Insert(at, "99999999999999999999"),
                4 => noise,
                _ => text + noise,
            };
        });

    [Fact]
    public Task EveryEngineIoPayloadRoundTrips() =>
        RunAsync("engine.io payloads", EnginePacket.Array[1, 8], packets =>
        {
            var decoded = new List<EngineIoPacket>();
            Assert.Equal(DecodeResult.Ok, EngineIoCodec.DecodePayload(EngineIoCodec.EncodePayload(packets), 8, decoded));
            Assert.Equal(packets.Length, decoded.Count);
            for (var i = 0; i < packets.Length; i++)
            {
                Assert.Equal(packets[i].Type, decoded[i].Type);
                Assert.Equal(packets[i].Text, decoded[i].Text);
                Assert.Equal(packets[i].Binary, decoded[i].Binary);
            }
        }, 4_000);

    [Fact]
    public Task AnyEngineIoPayloadIsDecodedOrRefusedWhole() =>
        RunAsync("engine.io hostile payloads", Gen.Frequency(
                (1, Generators.AnyText),
                (2, Gen.Select(EnginePacket.Array[1, 8], Generators.AnyText, Gen.Int[0, 1000], (packets, noise, at) =>
                {
                    var payload = EngineIoCodec.EncodePayload(packets);
                    return payload.Insert(at % (payload.Length + 1), noise);
                }))),
            payload =>
            {
                var decoded = new List<EngineIoPacket>();
                var result = EngineIoCodec.DecodePayload(payload, 8, decoded);
                if (result == DecodeResult.Ok)
                {
                    Assert.InRange(decoded.Count, 1, 8);
                    // What was accepted is what the server would have written itself, up to base64 spelling.
                    var again = new List<EngineIoPacket>();
                    Assert.Equal(DecodeResult.Ok, EngineIoCodec.DecodePayload(EngineIoCodec.EncodePayload(decoded), 8, again));
                    Assert.Equal(decoded.Select(p => (p.Type, p.Text)), again.Select(p => (p.Type, p.Text)));
                    Assert.Equal(decoded.Select(p => p.Binary is null ? null : Convert.ToBase64String(p.Binary)), again.Select(p => p.Binary is null ? null : Convert.ToBase64String(p.Binary)));
                }
                else
                {
                    Assert.Empty(decoded);
                }
            }, 8_000);

    [Fact]
    public Task EverySocketIoPacketRoundTrips() =>
        RunAsync("socket.io packets", ValidPacket, packet =>
        {
            var text = Encode(packet);
            Assert.Null(SocketIoPacketCodec.TryDecode(text, 10, out var back));
            Assert.Equal((packet.Type, packet.Namespace, packet.AckId, packet.Attachments), (back!.Type, back.Namespace, back.AckId, back.Attachments));
            Assert.True(JToken.DeepEquals(packet.Data, back.Data), $"{packet.Data?.ToString(Formatting.None)} != {back.Data?.ToString(Formatting.None)}");
        }, 4_000);

    [Fact]
    public Task AnySocketIoPacketIsDecodedCanonicallyOrRefusedWithAReason() =>
        RunAsync("socket.io hostile packets", DamagedPacket, text =>
        {
            var problem = SocketIoPacketCodec.TryDecode(text, 10, out var packet);
            if (problem is not null)
            {
                Assert.Null(packet);
                Assert.NotEmpty(problem);
                return;
            }

            Assert.InRange(packet!.Attachments, 0, 10);
            Assert.InRange(packet.AckId ?? 0, 0, SocketIoPacketCodec.MaxAckId);
            // Whatever was accepted is a packet the server could have written itself: encoding it again decodes to
            // the same packet.
            Assert.Null(SocketIoPacketCodec.TryDecode(Encode(packet), 10, out var again));
            Assert.Equal((packet.Type, packet.Namespace, packet.AckId, packet.Attachments), (again!.Type, again.Namespace, again.AckId, again.Attachments));
            Assert.True(JToken.DeepEquals(packet.Data, again.Data));
        }, 8_000);

    [Fact]
    public Task BinaryArgumentsRoundTripThroughPlaceholders() =>
        RunAsync("socket.io binary", Gen.Select(Json.Array[0, 4], Gen.Byte.Array[0, 32].Array[1, 4], Gen.Int[0, 100], (args, buffers, seed) =>
            {
                var all = new List<JToken>(args);
                for (var i = 0; i < buffers.Length; i++)
                {
                    JToken buffer = new JValue(buffers[i]);
                    all.Insert((seed + i) % (all.Count + 1), (seed & 1) == 0 ? buffer : new JObject { ["file"] = buffer });
                }

                return new JArray(["upload", .. all]);
            }),
            data =>
            {
                var attachments = new List<byte[]>();
                var wire = SocketIoBinary.Deconstruct(data, attachments);
                var text = SocketIoPacketCodec.Encode(SocketIoPacketType.BinaryEvent, "/", null, wire, attachments.Count);
                Assert.Null(SocketIoPacketCodec.TryDecode(text, 10, out var packet));
                Assert.Equal(attachments.Count, packet!.Attachments);
                Assert.True(SocketIoBinary.TryReconstruct(packet.Data!, attachments));
                Assert.True(JToken.DeepEquals(data, packet.Data));
            }, 2_000);
}
