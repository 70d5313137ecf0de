using System.Globalization;
using System.Text;

namespace Chat.Data;

/// <summary>Room names to URL slugs, as Django's <c>slugify</c>: "Café Lounge!" becomes "cafe-lounge". Letters
/// and digits of any script are kept (lower-cased, accents dropped); everything else becomes one hyphen.</summary>
public static class Slugs
{
    public static string Slugify(string name)
    {
        var text = new StringBuilder(name.Length);
        var hyphen = false;
        foreach (var c in name.Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // the accent of a decomposed letter
            }

            if (char.IsLetterOrDigit(c))
            {
                if (hyphen && text.Length > 0)
                {
                    text.Append('-');
                }

                hyphen = false;
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                hyphen = true;
            }
        }

        return text.ToString().Normalize(NormalizationForm.FormC);
    }
}
