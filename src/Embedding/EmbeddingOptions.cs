using System.ComponentModel.DataAnnotations;

namespace Rag.Embedding;

/// <summary>Configuration section <c>Embedding</c>: which sentence-transformers folder to load and how to batch.</summary>
public sealed class EmbeddingOptions : IValidatableObject
{
    /// <summary>A sentence-transformers folder as downloaded from the Hugging Face hub.</summary>
    [Required]
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// The ONNX file inside the folder, e.g. <c>onnx/model_qint8_avx512.onnx</c>; by default
    /// <c>onnx/model.onnx</c>, then <c>model.onnx</c>, then the only graph in the folder.
    /// </summary>
    public string? ModelFile { get; set; }

    /// <summary>
    /// Token budget of one batch: texts × longest text in the batch (padding included). Attention scores take
    /// budget × sequence × heads floats, so 8192 keeps a 512-token BERT batch near 200 MB.
    /// </summary>
    [Range(1, 1 << 24)]
    public int MaxBatchTokens { get; set; } = 8192;

    /// <summary>How long the queue waits for more concurrent callers before running a partly filled batch.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per physical core).</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Runs on this CUDA device instead of the CPU; needs the GPU build of ONNX Runtime (<c>-p:OnnxRuntimeGpu=true</c>).
    /// </summary>
    [Range(0, 64)]
    public int? CudaDevice { get; set; }

    /// <summary>Overrides <c>max_seq_length</c> from <c>sentence_bert_config.json</c> (only to shorten it).</summary>
    [Range(0, 1 << 20)]
    public int MaxSequenceLength { get; set; }

    /// <summary>Prepended to queries, e.g. e5's <c>"query: "</c> or bge's retrieval instruction.</summary>
    public string? QueryPrefix { get; set; }

    /// <summary>Prepended to passages (documents), e.g. e5's <c>"passage: "</c>.</summary>
    public string? PassagePrefix { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ModelPath.Length > 0 && !Directory.Exists(ModelPath))
        {
            yield return new ValidationResult($"Embedding:ModelPath '{ModelPath}' does not exist.", [nameof(ModelPath)]);
        }
        else if (ModelFile is not null && !File.Exists(Path.Combine(ModelPath, ModelFile)))
        {
            yield return new ValidationResult($"Embedding:ModelFile '{Path.Combine(ModelPath, ModelFile)}' does not exist.", [nameof(ModelFile)]);
        }
        if (MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Embedding:MaxBatchWait must be between 0 and 1 second.", [nameof(MaxBatchWait)]);
        }
    }
}
