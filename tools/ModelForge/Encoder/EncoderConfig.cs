namespace Rag.ModelForge.Encoder;

/// <summary>BERT shape hyper-parameters (the fields of a BertConfig that change the graph).</summary>
public sealed record EncoderConfig(
    int VocabSize,
    int HiddenSize,
    int Layers,
    int Heads,
    int IntermediateSize,
    int MaxPositions = 512,
    int TypeVocabSize = 2,
    float LayerNormEps = 1e-12f)
{
    public int HeadDim => HiddenSize / Heads;
}
