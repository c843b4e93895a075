using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using Rag.Embedding.Batching;

namespace Rag.Embedding;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a local sentence-transformers ONNX model. Safe to call
/// from many threads: concurrent calls are coalesced into shared batches.
/// Each <see cref="Embedding{T}"/> carries <c>"token_count"</c> and <c>"truncated"</c> in its AdditionalProperties;
/// the result's usage counts input tokens and its AdditionalProperties hold <c>"truncated_count"</c>.
/// <see cref="GetService"/> also hands out the model's <see cref="Microsoft.ML.Tokenizers.Tokenizer"/>, so a chunker
/// can count in the model's own tokens.
/// </summary>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingModel _model;
    private readonly MicroBatcher _batcher;
    private readonly string _queryPrefix;
    private readonly string _passagePrefix;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private int _disposed;

    /// <summary>Takes ownership of <paramref name="model"/>.</summary>
    public OnnxEmbeddingGenerator(EmbeddingModel model, EmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _batcher = new MicroBatcher(model, options.MaxBatchTokens, options.MaxBatchWait);
        // Configured prefixes win; otherwise the prompts the model ships in config_sentence_transformers.json.
        _queryPrefix = options.QueryPrefix ?? model.Folder.Prompts.GetValueOrDefault("query") ?? "";
        _passagePrefix = options.PassagePrefix
            ?? model.Folder.Prompts.GetValueOrDefault("passage") ?? model.Folder.Prompts.GetValueOrDefault("document") ?? "";
        _metadata = new EmbeddingGeneratorMetadata("onnxruntime", new Uri(Path.GetFullPath(model.Folder.OnnxFile)), model.ModelId, model.Dimension);
    }

    /// <param name="metrics">Where runs are counted; by default a process-wide "Rag.Embedding" meter.</param>
    public static OnnxEmbeddingGenerator Load(EmbeddingOptions options, EmbeddingMetrics? metrics = null)
    {
        var model = EmbeddingModel.Load(options, metrics);
        try
        {
            return new OnnxEmbeddingGenerator(model, options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public int Dimension => _model.Dimension;

    public int MaxSequenceLength => _model.MaxSequenceLength;

    public string ModelId => _model.ModelId;

    /// <summary>
    /// The model's tokenizer, for counting chunk sizes; its counts leave out the <see cref="SpecialTokensPerText"/>
    /// the model adds, which <see cref="CountTokens"/> includes.
    /// </summary>
    public Tokenizer Tokenizer => _model.Tokenizer.Tokenizer;

    public int SpecialTokensPerText => _model.Tokenizer.SpecialTokenCount;

    /// <summary>Tokens the model would see for <paramref name="text"/> before truncation, special tokens included.</summary>
    public int CountTokens(string text) => _model.Tokenizer.CountTokens(text);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options?.Dimensions is { } dimensions && dimensions != Dimension)
        {
            throw new NotSupportedException($"{ModelId} produces {Dimension}-dimensional vectors, not {dimensions}.");
        }
        return GenerateAsync(values, EmbeddingInputTypes.Of(options), cancellationToken);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingInputType inputType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var prefix = inputType == EmbeddingInputType.Query ? _queryPrefix : _passagePrefix;
        var texts = values.Select(v => _model.Encode(prefix + v)).ToArray();
        var vectors = await _batcher.EmbedAsync(texts, cancellationToken);

        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        long tokens = 0;
        var truncated = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            tokens += texts[i].Length;
            truncated += texts[i].Truncated ? 1 : 0;
            result.Add(new Embedding<float>(vectors[i])
            {
                ModelId = _model.ModelId,
                CreatedAt = created,
                AdditionalProperties = new() { ["token_count"] = texts[i].Length, ["truncated"] = texts[i].Truncated },
            });
        }
        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        result.AdditionalProperties = new() { ["truncated_count"] = truncated };
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(Tokenizer) ? Tokenizer
            : serviceType.IsInstanceOfType(_model) ? _model
            : null;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // The worker finishes what is already queued before the session it runs on goes away.
        _batcher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _model.Dispose();
    }
}
