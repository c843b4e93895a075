using System.Text.RegularExpressions;

namespace Rag.Tokenizers.Decoders;

/// <summary>▁ back to spaces; the first token loses the space the pre-tokenizer prepended.</summary>
internal sealed class MetaspaceDecoder(char replacement, bool stripFirstSpace) : IDecoder
{
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var text = tokens[i].Replace(replacement, ' ');
            tokens[i] = i == 0 && stripFirstSpace && text.StartsWith(' ') ? text[1..] : text;
        }
    }

    public ByteWiseDecoding? Compose(ByteWiseDecoding decoding) =>
        decoding.ByteLevel ? null : decoding with { Replacement = replacement, StripLeadingSpace = stripFirstSpace };
}

/// <summary>WordPiece: "##" pieces glue to the previous token, others get a space; optional BERT clean-up of spaces.</summary>
internal sealed class WordPieceDecoder(string prefix, bool cleanup) : IDecoder
{
    private static readonly (string From, string To)[] Cleanups =
    [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ];

    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith(prefix, StringComparison.Ordinal))
            {
                token = token[prefix.Length..];
            }
            else if (i > 0)
            {
                token = " " + token;
            }

            if (cleanup)
            {
                foreach (var (from, to) in Cleanups)
                {
                    token = token.Replace(from, to, StringComparison.Ordinal);
                }
            }

            tokens[i] = token;
        }
    }
}

internal sealed class ReplaceDecoder(Regex pattern, string content, string? literal = null) : IDecoder
{
    /// <summary>SentencePiece's "▁" → " " is the one replacement that maps token by token.</summary>
    public ByteWiseDecoding? Compose(ByteWiseDecoding decoding) =>
        literal is { Length: 1 } from && content == " " && !decoding.ByteLevel ? decoding with { Replacement = from[0] } : null;

    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            tokens[i] = pattern.Replace(tokens[i], content);
        }
    }
}

/// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing occurrences of a char from each token.</summary>
internal sealed class StripDecoder(char content, int start, int stop) : IDecoder
{
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var head = 0;
            while (head < start && head < token.Length && token[head] == content)
            {
                head++;
            }

            var tail = 0;
            while (tail < stop && token.Length - tail > head && token[token.Length - tail - 1] == content)
            {
                tail++;
            }

            tokens[i] = token[head..(token.Length - tail)];
        }
    }

    /// <summary>After Fuse, Strip(" ", 1, 0) removes the space SentencePiece put before the first word.</summary>
    public ByteWiseDecoding? Compose(ByteWiseDecoding decoding) =>
        content == ' ' && start == 1 && stop == 0 ? decoding with { StripLeadingSpace = true } : null;
}

/// <summary>Classic BPE end-of-word suffix ("&lt;/w&gt;") back to a space.</summary>
internal sealed class BpeSuffixDecoder(string suffix) : IDecoder
{
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            tokens[i] = tokens[i].Replace(suffix, i == tokens.Count - 1 ? string.Empty : " ", StringComparison.Ordinal);
        }
    }
}
