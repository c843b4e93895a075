using Microsoft.ML.OnnxRuntime;
using Rag.Embedding.Batching;
using Rag.Embedding.Loading;
using Rag.Embedding.Pooling;

namespace Rag.Embedding;

/// <summary>
/// A loaded sentence-transformers encoder: tokenizer, ONNX session and pooling, ready to embed one batch at a time.
/// Owns the <see cref="InferenceSession"/>; thread-safe (ONNX Runtime allows concurrent runs on one session).
/// </summary>
public sealed class EmbeddingModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly ModelSignature _signature;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly Pooler? _pooler;
    private readonly EmbeddingMetrics _metrics;

    private EmbeddingModel(ModelFolder folder, EmbeddingTokenizer tokenizer, InferenceSession session, int maxSequenceLength, EmbeddingMetrics metrics)
    {
        Folder = folder;
        Tokenizer = tokenizer;
        _session = session;
        _metrics = metrics;
        MaxSequenceLength = maxSequenceLength;
        var config = ConfigFile.Read(Path.Combine(folder.Path, "config.json"));
        _signature = ModelSignature.Read(session, folder.OnnxFile, ConfigFile.Int(config, "hidden_size"));
        _inputNames = [.. _signature.Inputs.Select(i => i.Name)];
        _outputNames = [_signature.OutputName];
        _pooler = _signature.OutputIsPooled ? null : new Pooler(folder.Pooling, _signature.OutputWidth, folder.Normalize);
        Dimension = _pooler?.Dimension ?? _signature.OutputWidth;
        ModelId = WeightsHash.ModelId(folder.Path, folder.OnnxFile);
    }

    public ModelFolder Folder { get; }

    public EmbeddingTokenizer Tokenizer { get; }

    public ModelSignature Signature => _signature;

    public int Dimension { get; }

    /// <summary>Longest input in tokens, special tokens included; longer texts are truncated.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>
    /// Folder name and a hash of the ONNX file and its external data files (<c>all-MiniLM-L6-v2@sha256:0123456789abcdef</c>):
    /// vectors from different weights, including a quantized variant of the same model, never share an id.
    /// </summary>
    public string ModelId { get; }

    /// <param name="metrics">Where runs are counted; by default a process-wide "Rag.Embedding" meter.</param>
    public static EmbeddingModel Load(EmbeddingOptions options, EmbeddingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = ModelFolder.Read(options.ModelPath, options.ModelFile);
        var tokenizer = TokenizerLoader.Load(folder);
        var maxLength = options.MaxSequenceLength > 0 ? Math.Min(options.MaxSequenceLength, folder.MaxSequenceLength) : folder.MaxSequenceLength;
        var session = SessionFactory.Open(folder.OnnxFile, options.IntraOpThreads, options.CudaDevice);
        try
        {
            return new EmbeddingModel(folder, tokenizer, session, maxLength, metrics ?? EmbeddingMetrics.Default);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public EncodedText Encode(string text) => Tokenizer.Encode(text, MaxSequenceLength);

    /// <summary>Runs one batch and writes its vectors row-major into <paramref name="vectors"/> (<c>[batch, Dimension]</c>).</summary>
    public void Embed(ReadOnlySpan<EncodedText> batch, Span<float> vectors)
    {
        if (vectors.Length != batch.Length * Dimension)
        {
            throw new ArgumentException($"Expected room for {batch.Length} × {Dimension} floats.", nameof(vectors));
        }
        using var tensors = new BatchTensors(_signature, batch, Tokenizer.PadId);
        _session.Run(_runOptions, _inputNames, tensors.Inputs, _outputNames, tensors.Outputs);
        RecordRun(batch, tensors.SequenceLength);
        var output = tensors.Output.Span;
        if (_pooler is null)
        {
            output.CopyTo(vectors);
            if (Folder.Normalize)
            {
                for (var row = 0; row < batch.Length; row++)
                {
                    PoolingMath.NormalizeL2(vectors.Slice(row * Dimension, Dimension));
                }
            }
            return;
        }
        var rowWidth = tensors.SequenceLength * _signature.OutputWidth;
        for (var row = 0; row < batch.Length; row++)
        {
            // Right padding: the text's own tokens are the first Length rows; padded rows are never read.
            var tokens = output.Slice(row * rowWidth, batch[row].Length * _signature.OutputWidth);
            _pooler.Pool(tokens, vectors.Slice(row * Dimension, Dimension));
        }
    }

    private void RecordRun(ReadOnlySpan<EncodedText> batch, int sequenceLength)
    {
        var tokens = 0;
        foreach (var text in batch)
        {
            tokens += text.Length;
        }
        _metrics.RunCompleted(ModelId, batch.Length, tokens, sequenceLength);
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
