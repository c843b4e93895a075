using System.Text;

namespace Rag.Tokenizers;

/// <summary>
/// Unicode normalization that also works under InvariantGlobalization, where <see cref="string.Normalize()"/>
/// silently returns its input: the decompositions come from decompositions.txt (generated from Python's
/// unicodedata by Unicode/generate_tables.py).
/// </summary>
internal static class UnicodeData
{
    private static readonly bool RuntimeNormalizes = "\u00E9".Normalize(NormalizationForm.FormD).Length == 2;
    private static readonly Lazy<Tables> Data = new(Tables.Load);

    public static string Normalize(string text, NormalizationForm form)
    {
        if (RuntimeNormalizes)
        {
            return text.Normalize(form);
        }

        var compatibility = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        var composing = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        var decomposed = Data.Value.Decompose(text, compatibility, decomposeHangul: !composing);
        return composing ? Data.Value.Compose(decomposed) : decomposed;
    }

    private sealed class Tables
    {
        private readonly Dictionary<int, string> _canonical = [];
        private readonly Dictionary<int, string> _compatibility = [];
        private readonly Dictionary<string, string> _composites = new(StringComparer.Ordinal);

        public static Tables Load()
        {
            var tables = new Tables();
            using var stream = typeof(UnicodeData).Assembly.GetManifestResourceStream("Rag.Tokenizers.Unicode.decompositions.txt")
                ?? throw new InvalidOperationException("The Unicode decomposition table is not embedded.");
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith('#'))
                {
                    continue;
                }

                var fields = line.Split(' ');
                var cp = Convert.ToInt32(fields[0], 16);
                var value = string.Concat(fields.Skip(2).Select(f => char.ConvertFromUtf32(Convert.ToInt32(f, 16))));
                (fields[1] == "K" ? tables._compatibility : tables._canonical)[cp] = value;
                if (fields[1] == "P")
                {
                    tables._composites[value] = char.ConvertFromUtf32(cp);
                }
            }

            return tables;
        }

        public string Decompose(string text, bool compatibility, bool decomposeHangul)
        {
            var output = new StringBuilder(text.Length);
            foreach (var rune in text.EnumerateRunes())
            {
                Append(rune, compatibility, decomposeHangul, output);
            }

            return output.ToString();
        }

        /// <summary>Recomposes each starter with the marks that follow it, as far as a primary composite exists.</summary>
        public string Compose(string decomposed)
        {
            var output = new StringBuilder(decomposed.Length);
            var current = new StringBuilder();
            foreach (var rune in decomposed.EnumerateRunes())
            {
                var mark = Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark
                    or System.Globalization.UnicodeCategory.SpacingCombiningMark;
                if (mark && current.Length > 0)
                {
                    current.Append(rune.ToString());
                    var candidate = current.ToString();
                    if (!_composites.ContainsKey(candidate))
                    {
                        output.Append(Recompose(candidate[..^rune.Utf16SequenceLength]));
                        current.Clear().Append(rune.ToString());
                    }

                    continue;
                }

                output.Append(Recompose(current.ToString()));
                current.Clear().Append(rune.ToString());
            }

            return output.Append(Recompose(current.ToString())).ToString();
        }

        private string Recompose(string sequence) => _composites.TryGetValue(sequence, out var composite) ? composite : sequence;

        private void Append(Rune rune, bool compatibility, bool decomposeHangul, StringBuilder output)
        {
            var cp = rune.Value;
            if (decomposeHangul && cp is >= 0xAC00 and <= 0xD7A3)
            {
                AppendHangul(cp, output);
                return;
            }

            if (_canonical.TryGetValue(cp, out var value) || (compatibility && _compatibility.TryGetValue(cp, out value)))
            {
                if (compatibility)
                {
                    foreach (var inner in value.EnumerateRunes())
                    {
                        if (inner.Value != cp && _compatibility.ContainsKey(inner.Value))
                        {
                            Append(inner, compatibility, decomposeHangul, output);
                        }
                        else
                        {
                            output.Append(inner.ToString());
                        }
                    }

                    return;
                }

                output.Append(value);
                return;
            }

            output.Append(rune.ToString());
        }

        private static void AppendHangul(int cp, StringBuilder output)
        {
            var index = cp - 0xAC00;
            output.Append((char)(0x1100 + (index / 588)));
            output.Append((char)(0x1161 + (index % 588 / 28)));
            if (index % 28 != 0)
            {
                output.Append((char)(0x11A7 + (index % 28)));
            }
        }
    }
}
