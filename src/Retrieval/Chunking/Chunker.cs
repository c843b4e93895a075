using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Extraction;

namespace Rag.Retrieval.Chunking;

/// <summary>
/// Splits extracted text into chunks counted in the embedding model's tokens and never longer than
/// <c>maxTokens</c>. Chunks never cross a section or page; inside one they are packed from
/// paragraphs, falling back to sentences and then token boundaries for pieces that are too long.
/// Consecutive chunks share about <c>overlapTokens</c> tokens, cut at a word boundary.
/// </summary>
public sealed partial class Chunker
{
    /// <summary>
    /// Characters per embedding token in prose (WordPiece and BPE vocabularies both land near four); an estimate is
    /// all that deciding between answering now and queueing needs.
    /// </summary>
    private const double CharactersPerToken = 4.0;

    private readonly TokenMeasure _tokens;
    private readonly int _maxTokens;
    private readonly int _specialTokens;
    private readonly int _overlapTokens;
    private readonly int _unitMaxTokens;

    public Chunker(Tokenizer tokenizer, int maxTokens, int overlapTokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokens = new TokenMeasure(tokenizer);
        _specialTokens = _tokens.Count(string.Empty);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, _specialTokens + 8);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapTokens);
        _maxTokens = maxTokens;
        // Overlap may take at most half a chunk, so every chunk still brings new text.
        _overlapTokens = Math.Min(overlapTokens, (maxTokens - _specialTokens) / 2);
        // A unit this small always fits after an overlap, so packing never has to drop one.
        _unitMaxTokens = maxTokens - _overlapTokens;
    }

    /// <summary>
    /// About how many chunks <see cref="Split"/> makes of <paramref name="document"/>, without tokenizing it: the work
    /// that grows with a document is embedding them, so this, not its size in bytes, says whether it can be ingested
    /// while a client waits.
    /// </summary>
    public int EstimateChunks(ExtractedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        // A full chunk's text repeats the overlap and leaves room for the special tokens; the rest is new.
        var newTokensPerChunk = _maxTokens - _specialTokens - _overlapTokens;
        return (int)Math.Ceiling(document.Text.Length / (CharactersPerToken * newTokensPerChunk));
    }

    public IReadOnlyList<Chunk> Split(ExtractedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var chunks = new List<Chunk>();
        foreach (var segment in Segments(document))
        {
            var units = new List<(int Start, int End)>();
            AddParagraphs(document.Text, segment.Start, segment.End, units);
            Pack(document.Text, units, segment, chunks);
        }
        return chunks;
    }

    private void Pack(string text, List<(int Start, int End)> units, Segment segment, List<Chunk> chunks)
    {
        if (units.Count == 0)
        {
            return;
        }
        var i = 0;
        var start = units[0].Start;
        // Tokens of [start, units[i].End) when the previous step already counted them (an overlap that fits).
        int? counted = null;
        while (true)
        {
            var end = units[i].End;
            var tokens = counted ?? _tokens.Count(text.AsSpan(start, end - start));
            var j = i + 1;
            while (j < units.Count)
            {
                var longer = _tokens.Count(text.AsSpan(start, units[j].End - start));
                if (longer > _maxTokens)
                {
                    break;
                }
                end = units[j].End;
                tokens = longer;
                j++;
            }
            chunks.Add(new Chunk(chunks.Count, text[start..end], start, end, tokens, segment.Path, segment.Page));
            if (j == units.Count)
            {
                return;
            }
            var next = OverlapStart(text, start, end);
            counted = next > start && next < units[j].Start ? _tokens.Count(text.AsSpan(next, units[j].End - next)) : null;
            if (counted is null || counted > _maxTokens)
            {
                next = units[j].Start;
                counted = null;
            }
            start = next;
            i = j;
        }
    }

    private int OverlapStart(string text, int start, int end)
    {
        if (_overlapTokens == 0)
        {
            return end;
        }
        var chunk = text.AsSpan(start, end - start);
        var s = _tokens.SuffixStart(chunk, _overlapTokens);
        // Start on a word: skip the rest of a word the cut landed in, then the whitespace after it.
        if (s > 0 && !char.IsWhiteSpace(chunk[s - 1]))
        {
            while (s < chunk.Length && !char.IsWhiteSpace(chunk[s]))
            {
                s++;
            }
        }
        while (s < chunk.Length && char.IsWhiteSpace(chunk[s]))
        {
            s++;
        }
        return start + s;
    }

    private void AddParagraphs(string text, int start, int end, List<(int Start, int End)> units)
    {
        foreach (var (pStart, pEnd) in Pieces(text, start, end, ParagraphBreak()))
        {
            if (_tokens.Count(text.AsSpan(pStart, pEnd - pStart)) <= _unitMaxTokens)
            {
                units.Add((pStart, pEnd));
                continue;
            }
            foreach (var (sStart, sEnd) in Pieces(text, pStart, pEnd, SentenceBreak()))
            {
                if (_tokens.Count(text.AsSpan(sStart, sEnd - sStart)) <= _unitMaxTokens)
                {
                    units.Add((sStart, sEnd));
                }
                else
                {
                    AddTokenCuts(text, sStart, sEnd, units);
                }
            }
        }
    }

    private void AddTokenCuts(string text, int start, int end, List<(int Start, int End)> units)
    {
        while (start < end)
        {
            var span = text.AsSpan(start, end - start);
            var length = _tokens.PrefixFitting(span, _unitMaxTokens);
            // Prefer cutting between words when a whitespace lies in the second half of the piece.
            var space = span[..length].LastIndexOfAny(' ', '\n', '\t');
            if (length < span.Length && space > length / 2)
            {
                length = space;
            }
            length = Math.Max(length, 1);
            AddTrimmed(text, start, start + length, units);
            start += length;
        }
    }

    /// <summary>Non-blank pieces of [start, end) between matches of <paramref name="separator"/>, trimmed.</summary>
    private static List<(int Start, int End)> Pieces(string text, int start, int end, Regex separator)
    {
        var pieces = new List<(int Start, int End)>();
        var pieceStart = start;
        foreach (var match in separator.EnumerateMatches(text.AsSpan(start, end - start)))
        {
            AddTrimmed(text, pieceStart, start + match.Index, pieces);
            pieceStart = start + match.Index + match.Length;
        }
        AddTrimmed(text, pieceStart, end, pieces);
        return pieces;
    }

    private static void AddTrimmed(string text, int start, int end, List<(int Start, int End)> pieces)
    {
        var (s, e) = Trim(text, start, end);
        if (e > s)
        {
            pieces.Add((s, e));
        }
    }

    private static (int Start, int End) Trim(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        return (start, end);
    }

    /// <summary>Ranges that share one section path and one page.</summary>
    private static List<Segment> Segments(ExtractedDocument document)
    {
        var cuts = new SortedSet<int> { 0, document.Text.Length };
        foreach (var section in document.Sections)
        {
            cuts.Add(section.Start);
            cuts.Add(section.End);
        }
        foreach (var page in document.Pages)
        {
            cuts.Add(page.Start);
            cuts.Add(page.End);
        }
        var segments = new List<Segment>();
        int? previous = null;
        foreach (var cut in cuts)
        {
            if (previous is int start && cut > start)
            {
                var path = document.Sections.LastOrDefault(s => s.Start <= start && start < s.End)?.Path ?? [];
                var page = document.Pages.FirstOrDefault(p => p.Start <= start && start < p.End)?.Number;
                segments.Add(new Segment(start, cut, path, page));
            }
            previous = cut;
        }
        return segments;
    }

    private sealed record Segment(int Start, int End, IReadOnlyList<string> Path, int? Page);

    [GeneratedRegex(@"\n[ \t]*\r?\n")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceBreak();
}
