using Microsoft.ML.OnnxRuntime;
using Rag.Embedding.Batching;
using Rag.Embedding.Loading;

namespace Rag.Embedding.Reranking;

/// <summary>
/// A Hugging Face cross-encoder (a one-label sequence classifier: ms-marco-MiniLM-L-6-v2, bge-reranker-base) scoring
/// how well each passage answers a query, as sentence-transformers' <c>CrossEncoder.predict</c> does: the pair
/// <c>[CLS] query [SEP] passage [SEP]</c> (or XLM-R's <c>&lt;s&gt; query &lt;/s&gt;&lt;/s&gt; passage &lt;/s&gt;</c>), the
/// logit through a sigmoid. Owns its <see cref="InferenceSession"/>; thread-safe (ONNX Runtime allows concurrent
/// runs on one session).
/// </summary>
public sealed class OnnxReranker : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ModelSignature _signature;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly EmbeddingTokenizer _tokenizer;
    private readonly int _maxBatchTokens;

    private OnnxReranker(ModelFolder folder, EmbeddingTokenizer tokenizer, InferenceSession session, int maxSequenceLength, int maxBatchTokens)
    {
        _tokenizer = tokenizer;
        _session = session;
        _maxBatchTokens = maxBatchTokens;
        MaxSequenceLength = maxSequenceLength;
        _signature = RerankerSignature.Read(session, folder.OnnxFile);
        _inputNames = [.. _signature.Inputs.Select(i => i.Name)];
        _outputNames = [_signature.OutputName];
        ModelId = WeightsHash.ModelId(folder.Path, folder.OnnxFile);
    }

    /// <summary>Folder name and a hash of the ONNX weights (<c>ms-marco-MiniLM-L-6-v2@sha256:0123456789abcdef</c>).</summary>
    public string ModelId { get; }

    /// <summary>Longest pair in tokens, special tokens included; longer passages are truncated.</summary>
    public int MaxSequenceLength { get; }

    public static OnnxReranker Load(RerankerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = ModelFolder.Read(options.ModelPath, options.ModelFile, "Reranker");
        var tokenizer = TokenizerLoader.LoadForPairs(folder);
        var config = ConfigFile.Read(Path.Combine(folder.Path, "config.json"));
        var maxLength = Math.Min(folder.MaxSequenceLength, ConfigFile.Int(config, "max_position_embeddings") ?? int.MaxValue);
        var session = SessionFactory.Open(folder.OnnxFile, options.IntraOpThreads, options.CudaDevice);
        try
        {
            return new OnnxReranker(folder, tokenizer, session, maxLength, options.MaxBatchTokens);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The pair as the model sees it (ids, second-segment start for token_type_ids, truncation).</summary>
    public EncodedText Encode(string query, string passage) => _tokenizer.EncodePair(query, passage, MaxSequenceLength);

    /// <summary>One relevance score in (0, 1) per passage, in input order; higher is more relevant.</summary>
    public Task<float[]> ScoreAsync(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(passages);
        // Tokenizing and running are CPU-bound: keep them off the caller's (request) thread.
        return passages.Count == 0 ? Task.FromResult(Array.Empty<float>()) : Task.Run(() => Score(query, passages, cancellationToken), cancellationToken);
    }

    private float[] Score(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken)
    {
        var pairs = _tokenizer.EncodePairs(query, passages, MaxSequenceLength);
        var lengths = new int[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            lengths[i] = pairs[i].Length;
        }
        var plan = BatchPlanner.Plan(lengths, _maxBatchTokens);
        // The pairs in plan order, so every batch is a slice of it.
        var ordered = new EncodedText[pairs.Length];
        for (var k = 0; k < ordered.Length; k++)
        {
            ordered[k] = pairs[plan.Order[k]];
        }
        var scores = new float[pairs.Length];
        using var runOptions = new RunOptions();
        // Cancellation also stops a batch already running inside ONNX Runtime.
        using var stop = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            foreach (var range in plan.Batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (start, count) = range.GetOffsetAndLength(plan.Order.Length);
                using var tensors = new BatchTensors(_signature, ordered.AsSpan(start, count), _tokenizer.PadId);
                _session.Run(runOptions, _inputNames, tensors.Inputs, _outputNames, tensors.Outputs);
                var logits = tensors.Output.Span;
                for (var i = 0; i < count; i++)
                {
                    scores[plan.Order[start + i]] = Sigmoid(logits[i]);
                }
            }
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        return scores;
    }

    private static float Sigmoid(float logit) => 1f / (1f + MathF.Exp(-logit));

    public void Dispose() => _session.Dispose();
}
