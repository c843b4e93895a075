using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Rag.Embedding.Reference;
using Rag.Tokenizers;

namespace Rag.Embedding.Tests.RealModels;

/// <summary>
/// The real packaged models, loaded from the vocab.txt folders run.sh provisions, give Hugging Face's vectors:
/// same token ids as HF's own tokenizers, cosine ≥ 0.9999 with the reference pipeline on varied texts.
/// </summary>
public sealed class HfReferenceTests
{
    public static TheoryData<string> Models => ["sentence-transformers/all-MiniLM-L6-v2", "Snowflake/snowflake-arctic-embed-xs"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Vocab_txt_tokenizes_as_huggingface_does(string model)
    {
        var folder = PackagedModelFolders.Folder(PackagedModelFolders.ByName(model));
        var spec = PackagedModelFolders.ByName(model);
        using var reference = new HfReference(folder, int.MaxValue, spec.ClsPooling);
        var ours = HfTokenizer.Load(folder);
        var different = ReferenceTexts.All
            .Where(t => !reference.Ids(t).SequenceEqual(ours.Encode(t).Select(i => (long)i)))
            .ToList();
        Assert.True(different.Count == 0, "Token ids differ from Hugging Face's for: " + string.Join(" | ", different));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Vectors_equal_the_huggingface_reference(string model)
    {
        var spec = PackagedModelFolders.ByName(model);
        using var generator = PackagedModelFolders.Open(model);
        using var reference = new HfReference(PackagedModelFolders.Folder(spec), spec.MaxSequenceLength, spec.ClsPooling);
        Assert.True(ReferenceTexts.All.Count >= 50);
        Assert.Contains(ReferenceTexts.All, t => generator.CountTokens(t) > 512);

        var ours = await generator.GenerateAsync(ReferenceTexts.All);

        var worst = ReferenceTexts.All.Select((text, i) => (Text: text, Cos: TensorPrimitives.CosineSimilarity(reference.Embed(text), ours[i].Vector.Span)))
            .MinBy(x => x.Cos);
        Assert.True(worst.Cos >= 0.9999, $"cos {worst.Cos:F6} for '{worst.Text}'");
    }
}
