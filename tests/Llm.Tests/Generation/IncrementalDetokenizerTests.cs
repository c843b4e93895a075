using System.Text;
using Rag.Llm.Generation;

namespace Rag.Llm.Tests.Generation;

public class IncrementalDetokenizerTests
{
    [Fact]
    public void Multi_byte_characters_split_across_tokens_stream_whole()
    {
        const string text = "naïve € 𝄞 日本語!";
        var tokenizer = new ByteTokenizer();
        var detokenizer = new IncrementalDetokenizer(tokenizer);
        var deltas = new List<string>();

        foreach (var id in tokenizer.Encode(text))
        {
            deltas.Add(detokenizer.Push(id));
        }
        deltas.Add(detokenizer.Flush());

        Assert.Equal(text, string.Concat(deltas));
        Assert.DoesNotContain(deltas, d => d.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.All(deltas, d => Assert.True(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(d)) == d));
        // The four bytes of U+1D11E arrive as four tokens and leave as one delta.
        Assert.Contains("𝄞", deltas);
    }

    [Fact]
    public void An_incomplete_character_at_the_end_is_flushed_as_a_replacement()
    {
        var detokenizer = new IncrementalDetokenizer(new ByteTokenizer());

        Assert.Equal("a", detokenizer.Push('a'));
        Assert.Equal("", detokenizer.Push(0xE2));
        Assert.Equal("\uFFFD", detokenizer.Flush());
    }
}
