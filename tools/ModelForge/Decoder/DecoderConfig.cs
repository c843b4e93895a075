namespace Rag.ModelForge.Decoder;

/// <summary>Llama shape hyper-parameters (the LlamaConfig fields that change the graph).</summary>
public sealed record DecoderConfig(
    int VocabSize,
    int HiddenSize,
    int IntermediateSize,
    int Layers,
    int Heads,
    int KvHeads,
    int MaxPositions,
    float RopeTheta,
    float RmsNormEps,
    bool TieWordEmbeddings)
{
    public int HeadDim => HiddenSize / Heads;

    /// <summary>Query heads per KV head.</summary>
    public int Groups => Heads / KvHeads;
}
