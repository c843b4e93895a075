using Microsoft.Extensions.Options;

namespace Rag.Api.Hosting;

/// <summary>
/// A model served by an OpenAI-compatible server (vLLM, TGI, Ollama, llama.cpp, TEI, or another instance of this
/// service) instead of a local ONNX folder. Bound from the <c>Llm</c> or <c>Embedding</c> section when its
/// <c>Endpoint</c> is set.
/// </summary>
public sealed class RemoteModelOptions
{
    /// <summary>The OpenAI base URL, <c>/v1</c> included: <c>http://vllm:8000/v1</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The model name the server expects in requests.</summary>
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
    public int? MaxTokens { get; set; }

    /// <summary>The longest wait for the server's response or, when streaming, its next token; then 504.</summary>
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>Retries of a failed request (connection refused, 5xx) before the caller gets 502.</summary>
    public int MaxRetries { get; set; } = 1;
}

/// <summary>Checks a remote model's settings at start-up, naming each setting by its section (<c>Llm</c> or <c>Embedding</c>).</summary>
internal sealed class RemoteModelOptionsValidator : IValidateOptions<RemoteModelOptions>
{
    public ValidateOptionsResult Validate(string? name, RemoteModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{name}:Endpoint '{options.Endpoint}' must be an absolute http or https URL such as http://vllm:8000/v1.");
        }
        if (string.IsNullOrWhiteSpace(options.Model))
        {
            errors.Add($"{name}:Model is required with {name}:Endpoint: the model name the server expects.");
        }
        if (options.TokenizerPath is { } path && !File.Exists(path) && !File.Exists(Path.Combine(path, "tokenizer.json")))
        {
            errors.Add($"{name}:TokenizerPath '{path}' is neither a tokenizer.json nor a folder holding one.");
        }
        if (options.MaxTokens is < 16)
        {
            errors.Add($"{name}:MaxTokens must be at least 16.");
        }
        if (options.TimeoutSeconds is < 1 or > 3600)
        {
            errors.Add($"{name}:TimeoutSeconds must be between 1 and 3600.");
        }
        if (options.MaxRetries is < 0 or > 5)
        {
            errors.Add($"{name}:MaxRetries must be between 0 and 5.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
