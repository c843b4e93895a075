using System.ComponentModel.DataAnnotations;

namespace Rag.Embedding.Reranking;

/// <summary>Configuration section <c>Reranker</c>: which cross-encoder folder scores retrieved passages, and how to batch.</summary>
public sealed class RerankerOptions : IValidatableObject
{
    /// <summary>A cross-encoder folder as downloaded from the Hugging Face hub (e.g. <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c> with an ONNX export).</summary>
    [Required]
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// The ONNX file inside the folder, e.g. <c>onnx/model_quint8_avx2.onnx</c>; by default
    /// <c>onnx/model.onnx</c>, then <c>model.onnx</c>, then the only graph in the folder.
    /// </summary>
    public string? ModelFile { get; set; }

    /// <summary>
    /// Token budget of one batch: pairs × longest pair in the batch (padding included). On a CPU, MiniLM-L6 pairs of
    /// ~140 tokens scored fastest at 512–1024 (a few pairs a run): 1.15× the pairs/s of 8192 and of one pair a run for
    /// 50 passages (bench/Rerank). On a GPU, where one run has room for many pairs, raise it.
    /// </summary>
    [Range(1, 1 << 24)]
    public int MaxBatchTokens { get; set; } = 1024;

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per physical core).</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Runs on this CUDA device instead of the CPU; needs the GPU build of ONNX Runtime (<c>-p:OnnxRuntimeGpu=true</c>).
    /// </summary>
    [Range(0, 64)]
    public int? CudaDevice { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ModelPath.Length > 0 && !Directory.Exists(ModelPath))
        {
            yield return new ValidationResult($"Reranker:ModelPath '{ModelPath}' does not exist.", [nameof(ModelPath)]);
        }
        else if (ModelFile is not null && !File.Exists(Path.Combine(ModelPath, ModelFile)))
        {
            yield return new ValidationResult($"Reranker:ModelFile '{Path.Combine(ModelPath, ModelFile)}' does not exist.", [nameof(ModelFile)]);
        }
    }
}
