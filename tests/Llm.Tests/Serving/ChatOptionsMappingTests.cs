using Microsoft.Extensions.AI;
using Rag.Llm.Generation;
using Rag.Llm.Serving;

namespace Rag.Llm.Tests.Serving;

public class ChatOptionsMappingTests
{
    [Fact]
    public void Chat_options_map_onto_the_sampler_and_limits()
    {
        var options = new ChatOptions
        {
            Temperature = 0.7f, TopP = 0.9f, TopK = 40, Seed = 1234, MaxOutputTokens = 64,
            StopSequences = ["\n\n"], FrequencyPenalty = 0.5f, PresencePenalty = 0.25f,
            AdditionalProperties = new() { ["min_p"] = 0.05, ["repetition_penalty"] = 1.1f, ["allow_truncation"] = true },
        };

        var mapped = ChatOptionsMapping.ToGenerationOptions(options, SamplingOptions.Greedy);

        var s = mapped.Sampling;
        Assert.Equal((0.7f, 0.9f, 40, 1234), (s.Temperature, s.TopP, s.TopK, s.Seed));
        Assert.Equal((0.05f, 1.1f, 0.5f, 0.25f), (s.MinP, s.RepetitionPenalty, s.FrequencyPenalty, s.PresencePenalty));
        Assert.Equal(64, mapped.MaxNewTokens);
        Assert.Equal(["\n\n"], mapped.StopSequences!);
        Assert.True(mapped.AllowTruncation);
    }

    [Fact]
    public void Unset_options_keep_the_model_defaults()
    {
        var defaults = new SamplingOptions { Temperature = 0.6f, TopP = 0.95f, TopK = 20 };

        var mapped = ChatOptionsMapping.ToGenerationOptions(new ChatOptions { MaxOutputTokens = 5 }, defaults);

        Assert.Equal(defaults, mapped.Sampling);
        Assert.Null(mapped.StopSequences);
        Assert.False(mapped.AllowTruncation);
        Assert.Equal(defaults, ChatOptionsMapping.ToGenerationOptions(null, defaults).Sampling);
    }
}
