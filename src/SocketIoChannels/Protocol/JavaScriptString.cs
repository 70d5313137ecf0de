using System.Globalization;
using System.Numerics;
using System.Text;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>
/// JavaScript's <c>String(value)</c> of a JSON value: what a page gets when it turns the value it sent into a channel
/// name, so that a channel sent as <c>~j~true</c> or <c>~j~1e21</c> is the one the page later broadcasts to
/// (<c>"true"</c>, <c>"1e+21"</c>). Numbers follow ECMAScript's Number::toString: the shortest digits that read
/// back as the same double, exponent form from 1e21 and below 1e-6, <c>-0</c> as <c>"0"</c>; objects are
/// <c>"[object Object]"</c>; arrays their elements joined with commas (null elements empty).
/// </summary>
internal static class JavaScriptString
{
    public static string From(JToken token) => token switch
    {
        JArray array => string.Join(",", array.Select(element => element.Type == JTokenType.Null ? string.Empty : From(element))),
        JObject => "[object Object]",
        JValue { Value: null } => "null",
        JValue { Value: string text } => text,
        JValue { Value: bool flag } => flag ? "true" : "false",
        JValue { Value: double number } => FromNumber(number),
        JValue { Value: float number } => FromNumber(number),
        JValue { Value: decimal number } => FromNumber((double)number),
        JValue { Value: long number } => FromNumber(number),
        JValue { Value: int number } => FromNumber(number),
        JValue { Value: BigInteger number } => FromNumber((double)number),
        JValue value => Convert.ToString(value.Value, CultureInfo.InvariantCulture) ?? string.Empty,
        _ => token.ToString(Newtonsoft.Json.Formatting.None),
    };

    public static string FromNumber(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0"; // -0 too
        }

        // The shortest round-trip digits (k of them) and n, where the value is 0.digits × 10^n.
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(roundTrip.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var allDigits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        var n = integerDigits - leadingZeros + exponent;
        var k = digits.Length;

        var text = new StringBuilder(value < 0 ? "-" : string.Empty);
        if (k <= n && n <= 21)
        {
            text.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            text.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var e = n - 1;
            text.Append(digits[0]);
            if (k > 1)
            {
                text.Append('.').Append(digits, 1, k - 1);
            }

            text.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
