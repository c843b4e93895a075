using System.ComponentModel.DataAnnotations;

namespace Rag.Llm;

/// <summary>The "Llm" configuration section.</summary>
public sealed class LlmOptions : IValidatableObject
{
    /// <summary>A model folder as Optimum or ONNX Runtime GenAI writes it.</summary>
    [Required]
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// The decoder graph inside the folder when it holds several variants, e.g. <c>onnx/model_q4.onnx</c>; by default
    /// the one genai_config.json names, else <c>onnx/model.onnx</c>, <c>model.onnx</c>, a merged decoder, or the only graph.
    /// </summary>
    public string? ModelFile { get; set; }

    /// <summary>"cpu" (default) or "cuda".</summary>
    [RegularExpression("^(?i)(cpu|cuda)$", ErrorMessage = "Llm:ExecutionProvider must be 'cpu' or 'cuda'.")]
    public string ExecutionProvider { get; set; } = "cpu";

    [Range(0, 64)]
    public int DeviceId { get; set; }

    /// <summary>Sequences decoded together at most (rows of the engine's batch); <see cref="KvCacheBytes"/> may admit fewer.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRequests { get; set; } = 16;

    /// <summary>Requests waiting for KV space at most; one more is refused (429).</summary>
    [Range(0, 100_000)]
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>KV-cache memory admission may reserve; null derives it from free memory and the model's size.</summary>
    [Range(1L, long.MaxValue)]
    public long? KvCacheBytes { get; set; }

    /// <summary>Prompt tokens per prefill chunk, interleaved with the running sequences' decode steps (with no sequence
    /// decoding, a prefill Run takes four chunks); 0 runs every prompt in one Run.</summary>
    [Range(0, 1 << 20)]
    public int PrefillChunkTokens { get; set; } = 256;

    /// <summary>KV memory for recurring prompt prefixes; null takes a quarter of <see cref="KvCacheBytes"/>, 0 turns the
    /// prefix cache off.</summary>
    [Range(0L, long.MaxValue)]
    public long? PrefixCacheBytes { get; set; }

    /// <summary>Positions per prefix-cache block: a prompt reuses cached keys and values in whole blocks.</summary>
    [Range(1, 4096)]
    public int PrefixBlockTokens { get; set; } = 32;

    /// <summary>Narrows the model's context window (e.g. to bound KV-cache memory); null uses the model's.</summary>
    [Range(16, 1 << 20)]
    public int? ContextLength { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 lets it choose.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ModelPath) && !Directory.Exists(ModelPath))
        {
            yield return new ValidationResult($"Llm:ModelPath '{ModelPath}' does not exist.", [nameof(ModelPath)]);
        }
        else if (ModelFile is not null && !File.Exists(Path.Combine(ModelPath, ModelFile)))
        {
            yield return new ValidationResult($"Llm:ModelFile '{Path.Combine(ModelPath, ModelFile)}' does not exist.", [nameof(ModelFile)]);
        }
    }
}
