using System.ComponentModel.DataAnnotations;

namespace Rag.Api.Hosting;

/// <summary>
/// A model served by an OpenAI-compatible server (vLLM, TGI, Ollama, llama.cpp, TEI, or another instance of this
/// service) instead of a local ONNX folder. Bound from the <c>Llm</c> or <c>Embedding</c> section when its
/// <c>Endpoint</c> is set.
/// </summary>
public sealed class RemoteModelOptions : IValidatableObject
{
    /// <summary>The OpenAI base URL, <c>/v1</c> included: <c>http://vllm:8000/v1</c>.</summary>
    [Required]
    public Uri? Endpoint { get; set; }

    /// <summary>The model name the server expects in requests.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "";

    /// <summary>Sent as <c>Authorization: Bearer</c>; servers without keys ignore it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The remote model's <c>tokenizer.json</c> (or its folder): prompts and chunks are then counted in its tokens.
    /// Without it, an estimate that errs on the long side: one token per 3 characters of a word, per punctuation
    /// mark and per non-ASCII character.
    /// </summary>
    public string? TokenizerPath { get; set; }

    /// <summary>
    /// LLM: the context window the prompt must fit. Embedding: the longest input the server embeds in full
    /// (a chunk is never longer).
    /// </summary>
    [Range(16, 1 << 20)]
    public int? MaxTokens { get; set; }

    /// <summary>The longest wait for the server's response or, when streaming, its next token; then 504.</summary>
    [Range(1, 3600)]
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>Retries of a failed request (connection refused, 5xx) before the caller gets 502.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Endpoint is not null && (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"Endpoint '{Endpoint}' must be an absolute http or https URL such as http://vllm:8000/v1.", [nameof(Endpoint)]);
        }
        if (TokenizerPath is not null && !File.Exists(TokenizerPath) && !File.Exists(Path.Combine(TokenizerPath, "tokenizer.json")))
        {
            yield return new ValidationResult($"TokenizerPath '{TokenizerPath}' is neither a tokenizer.json nor a folder holding one.", [nameof(TokenizerPath)]);
        }
    }
}
