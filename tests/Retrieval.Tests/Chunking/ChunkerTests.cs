using System.Buffers;
using System.Text;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Extraction;
using Rag.Retrieval.Tests.Support;

namespace Rag.Retrieval.Tests.Chunking;

/// <summary>The chunker counting in the forged encoder's real WordPiece tokenizer, as it does in production.</summary>
public sealed class ChunkerTests(ForgedEncoder encoder) : IClassFixture<ForgedEncoder>
{
    private static readonly string[] Vocabulary =
        ["the", "server", "configure", "zephyr", "quantum", "install", "data", "of", "marmalade", "vector", "runs", "quickly", "beneath", "lanterns"];

    /// <summary>Paragraphs of pseudo-random sentences; rare words cost several tokens, as in real text.</summary>
    private static string LongText(int paragraphs, int seed = 7)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var p = 0; p < paragraphs; p++)
        {
            for (var s = 0; s < random.Next(2, 6); s++)
            {
                var words = Enumerable.Range(0, random.Next(5, 18)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]);
                text.Append(string.Join(' ', words)).Append(". ");
            }
            text.Append("\n\n");
        }
        return text.ToString();
    }

    private static ExtractedDocument Plain(string text) => new(text, SourceFormat.PlainText, [new TextSection(0, text.Length, [])], []);

    [Fact]
    public void No_chunk_exceeds_the_token_limit()
    {
        var chunker = new Chunker(encoder.Tokenizer, maxTokens: 48, overlapTokens: 5);

        var chunks = chunker.Split(Plain(LongText(30)));

        Assert.True(chunks.Count > 10);
        Assert.All(chunks, c =>
        {
            Assert.True(encoder.Tokenizer.CountTokens(c.Text) <= 48, $"chunk {c.Ordinal} has {encoder.Tokenizer.CountTokens(c.Text)} tokens");
            Assert.Equal(encoder.Tokenizer.CountTokens(c.Text), c.TokenCount);
        });
    }

    [Fact]
    public void Chunk_text_is_exactly_the_source_at_its_offsets_and_covers_every_word()
    {
        var text = LongText(12);
        var chunks = new Chunker(encoder.Tokenizer, 40, 4).Split(Plain(text));

        Assert.All(chunks, c => Assert.Equal(text[c.StartOffset..c.EndOffset], c.Text));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
        // Every non-blank character of the source lies inside some chunk.
        var covered = new bool[text.Length];
        foreach (var chunk in chunks)
        {
            Array.Fill(covered, true, chunk.StartOffset, chunk.EndOffset - chunk.StartOffset);
        }
        Assert.All(Enumerable.Range(0, text.Length).Where(i => !char.IsWhiteSpace(text[i])), i => Assert.True(covered[i], $"char {i} not in any chunk"));
    }

    [Fact]
    public void Consecutive_chunks_overlap_by_about_the_configured_tokens_at_a_word_boundary()
    {
        var text = LongText(20);
        var chunks = new Chunker(encoder.Tokenizer, 48, 8).Split(Plain(text));

        var overlaps = chunks.Zip(chunks.Skip(1)).Select(pair => pair.First.EndOffset - pair.Second.StartOffset).ToList();
        Assert.True(overlaps.Count(o => o > 0) >= overlaps.Count / 2, "most chunks should share text with their predecessor");
        foreach (var (first, second) in chunks.Zip(chunks.Skip(1)).Where(p => p.First.EndOffset > p.Second.StartOffset))
        {
            var shared = text[second.StartOffset..first.EndOffset];
            var sharedTokens = encoder.Tokenizer.CountTokens(shared) - encoder.Tokenizer.CountTokens(string.Empty);
            Assert.InRange(sharedTokens, 1, 8);
            Assert.True(second.StartOffset == 0 || char.IsWhiteSpace(text[second.StartOffset - 1]), "overlap must start on a word");
        }
    }

    [Fact]
    public void Without_overlap_chunks_do_not_share_text()
    {
        var chunks = new Chunker(encoder.Tokenizer, 48, 0).Split(Plain(LongText(10)));

        Assert.All(chunks.Zip(chunks.Skip(1)), pair => Assert.True(pair.First.EndOffset <= pair.Second.StartOffset));
    }

    [Fact]
    public void Chunks_never_cross_sections_and_carry_their_section_path()
    {
        var markdown = "# Install\n\n" + LongText(3, seed: 1) + "## Linux\n\n" + LongText(3, seed: 2) + "# Usage\n\nShort usage text.";
        var document = TextExtractor.Extract("guide.md", Encoding.UTF8.GetBytes(markdown));

        var chunks = new Chunker(encoder.Tokenizer, 64, 6).Split(document);

        Assert.Contains(chunks, c => c.SectionPath.SequenceEqual(["Install"]));
        Assert.Contains(chunks, c => c.SectionPath.SequenceEqual(["Install", "Linux"]));
        var usage = Assert.Single(chunks, c => c.SectionPath.SequenceEqual(["Usage"]));
        Assert.Contains("Short usage text.", usage.Text, StringComparison.Ordinal);
        var linuxStart = markdown.IndexOf("## Linux", StringComparison.Ordinal);
        Assert.All(chunks, c => Assert.False(c.StartOffset < linuxStart && c.EndOffset > linuxStart, "a chunk crosses into the Linux section"));
    }

    [Fact]
    public void Chunks_keep_their_pdf_page_and_never_span_two_pages()
    {
        var page1 = LongText(2, seed: 3).Trim();
        var page2 = LongText(2, seed: 4).Trim();
        var text = page1 + "\n\n" + page2;
        var document = new ExtractedDocument(text, SourceFormat.Pdf, [new TextSection(0, text.Length, [])],
            [new TextPage(1, 0, page1.Length), new TextPage(2, page1.Length + 2, text.Length)]);

        var chunks = new Chunker(encoder.Tokenizer, 40, 4).Split(document);

        Assert.All(chunks.Where(c => c.Page == 1), c => Assert.True(c.EndOffset <= page1.Length));
        Assert.All(chunks.Where(c => c.Page == 2), c => Assert.True(c.StartOffset >= page1.Length + 2));
        Assert.Equal(chunks.Count, chunks.Count(c => c.Page is 1 or 2));
        Assert.Contains(chunks, c => c.Page == 2);
    }

    [Fact]
    public void A_run_on_sentence_longer_than_the_limit_is_cut_at_token_boundaries()
    {
        var sentence = string.Join(' ', Enumerable.Repeat("marmalade zephyr quantum lanterns", 60));
        var chunks = new Chunker(encoder.Tokenizer, 32, 0).Split(Plain(sentence));

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.True(c.TokenCount <= 32));
        Assert.Equal(sentence.Replace(" ", "", StringComparison.Ordinal), string.Concat(chunks.Select(c => c.Text.Replace(" ", "", StringComparison.Ordinal))));
    }

    [Fact]
    public void Small_paragraphs_are_packed_together()
    {
        var text = "Alpha one.\n\nBeta two.\n\nThird three.";
        var chunk = Assert.Single(new Chunker(encoder.Tokenizer, 64, 6).Split(Plain(text)));

        Assert.Equal(text, chunk.Text);
    }

    [Theory]
    [InlineData(false, 48, 5, 5)]
    [InlineData(false, 48, 100, 24)]
    [InlineData(true, 48, 5, 5)]
    [InlineData(true, 48, 100, 23)] // the overlap is clamped to half of what a chunk holds besides [CLS] and [SEP]
    public void The_chunk_estimate_takes_four_characters_per_token_a_chunk_adds(bool specialTokens, int maxTokens, int overlapTokens, int overlapUsed)
    {
        // The forged encoder's tokenizer counts no special tokens; some models' tokenizers count a [CLS] and a [SEP].
        var tokenizer = specialTokens ? new CountingSpecialTokens(encoder.Tokenizer) : encoder.Tokenizer;
        var chunker = new Chunker(tokenizer, maxTokens, overlapTokens);
        var charactersPerChunk = 4 * (maxTokens - (specialTokens ? 2 : 0) - overlapUsed);

        Assert.Equal(specialTokens ? 2 : 0, tokenizer.CountTokens(string.Empty));
        Assert.Equal(0, chunker.EstimateChunks(Plain(string.Empty)));
        Assert.Equal(3, chunker.EstimateChunks(Plain(new string('a', 3 * charactersPerChunk))));
        Assert.Equal(4, chunker.EstimateChunks(Plain(new string('a', 3 * charactersPerChunk + 1))));
    }

    [Fact]
    public void The_chunk_estimate_is_near_the_chunks_prose_makes()
    {
        var document = Plain(LongText(30));
        var chunker = new Chunker(encoder.Tokenizer, 48, 5);

        var actual = chunker.Split(document).Count;

        Assert.InRange(chunker.EstimateChunks(document), actual / 2, actual * 2);
    }

    /// <summary>Counts text as <paramref name="inner"/> does plus a [CLS] and a [SEP]; it only counts.</summary>
    private sealed class CountingSpecialTokens(Tokenizer inner) : Tokenizer
    {
        protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
            inner.CountTokens(text is null ? textSpan : text.AsSpan()) + 2;

        protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
            throw new NotSupportedException();

        public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten) =>
            throw new NotSupportedException();
    }
}
