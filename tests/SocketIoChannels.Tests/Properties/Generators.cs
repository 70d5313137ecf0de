using CsCheck;

namespace SocketIoChannels.Tests.Properties;

/// <summary>Generators of protocol text: characters that matter to the framing (<c>~ m j h</c>, digits), ASCII,
/// accented letters, emoji (surrogate pairs), lone surrogates, control characters and line breaks.</summary>
public static class Generators
{
    private static readonly Gen<char> Framing = Gen.Char["~mjh0123456789"];
    private static readonly Gen<char> Ascii = Gen.Char[' ', '~'];
    private static readonly Gen<char> Bmp = Gen.Char['\u00A0', '\uD7FF'];
    private static readonly Gen<char> Control = Gen.Char["\0\t\r\n\u001f\u2028\u2029\uFEFF\uFFFD"];
    private static readonly Gen<char> LoneSurrogate = Gen.Char['\uD800', '\uDFFF'];

    private static readonly Gen<string> Emoji = Gen.Int[0x1F300, 0x1FAFF].Select(char.ConvertFromUtf32);

    private static Gen<string> Chars(bool loneSurrogates)
    {
        var pieces = new List<(int, IGen<string>)>
        {
            (6, Ascii.Select(c => c.ToString())),
            (3, Framing.Select(c => c.ToString())),
            (2, Bmp.Select(c => c.ToString())),
            (2, Emoji),
            (1, Control.Select(c => c.ToString())),
        };
        if (loneSurrogates)
        {
            pieces.Add((1, LoneSurrogate.Select(c => c.ToString())));
        }

        return Gen.Frequency([.. pieces]);
    }

    /// <summary>Strings of 0–40 pieces, with lone surrogates when <paramref name="loneSurrogates"/>.</summary>
    public static Gen<string> Text(bool loneSurrogates) =>
        Chars(loneSurrogates).Array[0, 40].Select(pieces => string.Concat(pieces));

    /// <summary>Message texts a 0.6 client sends as plain frames: no ~j~/~h~ prefix, not a channel marker.</summary>
    public static Gen<string> ClientText { get; } = Text(loneSurrogates: false).Where(s =>
        !s.StartsWith("~j~", StringComparison.Ordinal) && !s.StartsWith("~h~", StringComparison.Ordinal)
        && s is not ("__subscribe__" or "__unsubscribe__" or "__array__"));

    /// <summary>Anything: random protocol text, lone surrogates included.</summary>
    public static Gen<string> AnyText { get; } = Text(loneSurrogates: true);

    /// <summary>A valid payload of 1–8 frames: messages, JSON, heartbeats, subscriptions.</summary>
    public static Gen<string> ValidPayload { get; } = Gen.Frequency(
            (4, ClientText.Select(t => new[] { t })),
            (1, Text(false).Select(t => new[] { "__subscribe__", t })),
            (1, Text(false).Select(t => new[] { "__unsubscribe__", t })),
            (1, Gen.Int[0, 1000].Select(n => new[] { "~h~" + n })),
            (1, Text(true).Select(t => new[] { "~j~" + Newtonsoft.Json.JsonConvert.ToString(t) })),
            (1, Gen.Const(new[] { "~j~{\"a\":[1,2.5,true,null,{\"__proto__\":{}}]}" })))
        .Array[1, 8]
        .Select(parts => string.Concat(parts.SelectMany(p => p).Select(Frame)));

    /// <summary>A payload with random damage: characters deleted, inserted or replaced, digits changed, cut
    /// short, a slice repeated, or random text appended.</summary>
    public static Gen<string> MutatedPayload { get; } =
        Gen.Select(ValidPayload, Gen.Int[0, 7], Gen.Int[0, 1000], AnyText, (payload, kind, where, noise) => Mutate(payload, kind, where, noise));

    public static string Frame(string text) => "~m~" + text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "~m~" + text;

    private static string Mutate(string payload, int kind, int where, string noise)
    {
        var at = payload.Length == 0 ? 0 : where % payload.Length;
        return kind switch
        {
            0 => payload.Remove(at, Math.Min(1 + (where % 3), payload.Length - at)),
            1 => payload.Insert(at, noise),
            2 => payload[..at] + noise + (at + 1 <= payload.Length ? payload[Math.Min(payload.Length, at + 1)..] : string.Empty),
            3 => ChangeDigit(payload, where),
            4 => payload[..at],
            5 => payload + payload[at..],
            6 => payload + noise,
            _ => noise,
        };
    }

    private static string ChangeDigit(string payload, int where)
    {
        var digits = Enumerable.Range(0, payload.Length).Where(i => char.IsAsciiDigit(payload[i])).ToArray();
        if (digits.Length == 0)
        {
            return payload;
        }

        var i = digits[where % digits.Length];
        var replacement = (where % 5) switch
        {
            0 => "-1",
            1 => "99999999999",
            2 => "x",
            3 => string.Empty,
            _ => ((payload[i] - '0' + 1) % 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return payload[..i] + replacement + payload[(i + 1)..];
    }
}
