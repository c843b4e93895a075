using Rag.ModelForge.Decoder;
using Rag.ModelForge.Encoder;

namespace Rag.ModelForge.Tests;

public sealed class PresetsTests
{
    [Theory]
    [InlineData("smollm2-135m", 30, 576, 9, 3, 1536, 49152)]
    [InlineData("qwen2.5-0.5b", 24, 896, 14, 2, 4864, 151936)]
    public void Decoder_presets_have_the_real_checkpoint_shapes(string preset, int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab)
    {
        var config = Presets.Decoder(preset, tokenizerSize: 500);

        Assert.Equal((layers, hidden, heads, kvHeads, intermediate, vocab),
            (config.Layers, config.HiddenSize, config.Heads, config.KvHeads, config.IntermediateSize, config.VocabSize));
        Assert.Equal(64, config.HeadDim);
    }

    [Fact]
    public void Minilm_preset_has_the_real_checkpoint_shape_and_pads_the_vocabulary()
    {
        var (vocabulary, weights) = EncoderForge.Create(new EncoderOptions(Preset: "minilm-l6"));

        Assert.Equal((6, 384, 12, 1536, 30522), (weights.Config.Layers, weights.Config.HiddenSize, weights.Config.Heads, weights.Config.IntermediateSize, weights.Config.VocabSize));
        Assert.Equal(30522, vocabulary.Tokens.Count);
        Assert.Equal(30522L * 384, weights.WordEmbeddings.LongLength);
    }

    [Fact]
    public void Tiny_decoder_keeps_grouped_query_attention_and_sizes_the_vocabulary_to_its_tokenizer()
    {
        var (tokenizer, weights) = DecoderForge.Create(new DecoderOptions());

        Assert.True(weights.Config.KvHeads < weights.Config.Heads);
        Assert.Equal(tokenizer.Count, weights.Config.VocabSize);
    }

    [Fact]
    public void Unknown_presets_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Presets.Decoder("llama-70b", 500));
        Assert.Throws<ArgumentException>(() => Presets.Encoder("bge-large", 500));
    }
}
