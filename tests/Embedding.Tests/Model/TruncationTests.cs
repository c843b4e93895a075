using Microsoft.Extensions.AI;

namespace Rag.Embedding.Tests.Model;

public class TruncationTests
{
    [Fact]
    public async Task Texts_longer_than_the_maximum_sequence_are_cut_and_reported()
    {
        var longText = string.Join(' ', TestTexts.Varied(4));
        var shortText = "Cats sleep.";
        using var generator = EncoderFolders.Open(EncoderFolders.MeanUnnormalized, o => o.MaxSequenceLength = 12);

        var result = await generator.GenerateAsync([longText, shortText]);

        Assert.Equal(12, generator.MaxSequenceLength);
        Assert.True((bool)result[0].AdditionalProperties!["truncated"]!);
        Assert.Equal(12, result[0].AdditionalProperties!["token_count"]);
        Assert.False((bool)result[1].AdditionalProperties!["truncated"]!);
        Assert.Equal(1, result.AdditionalProperties!["truncated_count"]);

        // The vector is the one of the first 10 content tokens framed by [CLS] … [SEP].
        var states = ReferenceEncoder.TokenStates(EncoderFolders.MeanUnnormalized, longText, maxTokens: 12);
        Assert.Equal(12, states.Length);
        var mean = Enumerable.Range(0, states[0].Length).Select(c => states.Average(s => s[c])).ToArray();
        VectorAssert.Close(mean, result[0].Vector.Span, 1e-4f);
    }
}
