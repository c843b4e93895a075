using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.Llm.Onnx;

namespace Rag.Llm.Engine;

/// <summary>Runs the model for the engine: a prefill chunk of one sequence, or one decode token for every sequence
/// of the batch, in one <c>Run</c> each. Owns the IO bindings and the pinned input and logits buffers; the KV
/// placement comes from the <see cref="KvCacheManager"/>. Used by the engine's thread alone.</summary>
internal sealed class ModelExecutor : IDisposable
{
    private static readonly long[] BranchShape = [1];
    private readonly DecoderSession _session;
    private readonly KvCacheManager _cache;
    private readonly DecoderLayout _layout;
    private readonly OrtIoBinding _prefill;
    private readonly OrtIoBinding _decode;
    private readonly RunOptions _runOptions = new();
    // Prefill: ids of a chunk, positions 0..capacity, and a row of ones. Decode: one id and position per row and
    // the [rows, width] mask.
    private readonly PinnedIds _chunkIds;
    private readonly PinnedIds _positions;
    private readonly PinnedIds _ones;
    private readonly PinnedIds _stepIds;
    private readonly PinnedIds _stepPositions;
    private readonly PinnedIds _mask;
    private readonly DecodeRow[] _rows;
    // [rows, 1, vocab] decode logits in the graph's type, a view per batch size made on first use.
    private readonly float[]? _logits;
    private readonly Float16[]? _halfLogits;
    private readonly OrtValue?[] _logitViews;
    private readonly OrtValue _useCache;
    private readonly OrtValue _noCache;
    private readonly List<OrtValue> _stepViews = new(4);
    private readonly int _vocab;

    public ModelExecutor(DecoderSession session, KvCacheManager cache, int maxPositions)
    {
        _session = session;
        _cache = cache;
        _layout = session.Layout;
        _vocab = session.VocabSize;
        var rows = cache.MaxRows;
        _chunkIds = new PinnedIds(_layout.IdType, maxPositions);
        _positions = new PinnedIds(_layout.IdType, maxPositions);
        _ones = new PinnedIds(_layout.IdType, maxPositions + 1);
        for (var i = 0; i < maxPositions; i++)
        {
            _positions.Write(i, i);
        }
        _ones.Fill(0, maxPositions + 1, 1);
        _stepIds = new PinnedIds(_layout.IdType, rows);
        _stepPositions = new PinnedIds(_layout.IdType, rows);
        _mask = new PinnedIds(_layout.IdType, rows * (maxPositions + 1));
        _rows = new DecodeRow[rows];
        if (_layout.LogitsType == TensorElementType.Float)
        {
            _logits = GC.AllocateArray<float>(rows * _vocab, pinned: true);
        }
        else
        {
            _halfLogits = GC.AllocateArray<Float16>(rows * _vocab, pinned: true);
        }
        _logitViews = new OrtValue?[rows + 1];
        _useCache = OrtValue.CreateTensorValueFromMemory(GC.AllocateArray<bool>(1, pinned: true), BranchShape);
        _useCache.GetTensorMutableDataAsSpan<bool>()[0] = true;
        _noCache = OrtValue.CreateTensorValueFromMemory(GC.AllocateArray<bool>(1, pinned: true), BranchShape);
        _prefill = session.Session.CreateIoBinding();
        _decode = session.Session.CreateIoBinding();
    }

    /// <summary>Time the last <c>Run</c> spent inside ONNX Runtime.</summary>
    public TimeSpan LastRunTime { get; private set; }

    /// <summary>Runs <paramref name="tokens"/> of one sequence after its cached positions; when
    /// <paramref name="logits"/> is not empty, writes the last position's logits (float32) there.</summary>
    public void Prefill(KvSlot slot, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("A step needs at least one token.", nameof(tokens));
        }
        // The cache first: it refuses a chunk past the slot's capacity before anything is written.
        _cache.BindPrefill(_prefill, slot, tokens.Length);
        DisposeStepViews();
        var past = slot.Length;
        for (var i = 0; i < tokens.Length; i++)
        {
            _chunkIds.Write(i, tokens[i]);
        }
        BindInputs(_prefill, Step(_chunkIds.View(0, 1, tokens.Length)), Step(_positions.View(past, 1, tokens.Length)),
            Step(_ones.View(0, 1, past + tokens.Length)), past > 0);
        // [1, n, vocab] changes with the chunk length: ORT allocates it; only the last row is read.
        _prefill.BindOutputToDevice(DecoderLayout.Logits, OrtMemoryInfo.DefaultInstance);
        Run(_prefill);
        _cache.AfterPrefill(slot, tokens.Length);
        if (!logits.IsEmpty)
        {
            var names = _prefill.GetOutputNames();
            using var outputs = _prefill.GetOutputValues();
            CopyLastRow(outputs[Array.IndexOf(names, DecoderLayout.Logits)], logits);
        }
    }

    /// <summary>Runs one token for each of <paramref name="decoding"/> (<paramref name="tokens"/>[i] follows sequence i's
    /// cached positions) in one batched <c>Run</c>; row i of <paramref name="logits"/> ([count, vocab]) gets its logits.</summary>
    public void Decode(IReadOnlyList<KvSlot> decoding, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        for (var i = 0; i < decoding.Count; i++)
        {
            if (decoding[i].Length >= decoding[i].Capacity)
            {
                throw new InvalidOperationException($"The slot holds {decoding[i].Capacity} positions; all are filled.");
            }
        }
        var (rows, width) = _cache.PlanDecode(decoding, _rows);
        DisposeStepViews();
        for (var r = 0; r < rows; r++)
        {
            var row = _rows[r];
            _stepIds.Write(r, row.Source >= 0 ? tokens[row.Source] : 0);
            _stepPositions.Write(r, row.Past);
            var start = r * width;
            _mask.Fill(start, width, 0);
            _mask.Fill(start + row.PadLeft, row.Past + 1, 1);
        }
        _cache.BindDecode(_decode, rows);
        BindInputs(_decode, Step(_stepIds.View(0, rows, 1)), Step(_stepPositions.View(0, rows, 1)), Step(_mask.View(0, rows, width)), true);
        _decode.BindOutput(DecoderLayout.Logits, LogitView(rows));
        Run(_decode);
        _cache.AfterDecode(decoding);
        for (var r = 0; r < rows; r++)
        {
            if (_rows[r].Source is var source and >= 0)
            {
                CopyRow(r, logits.Slice(source * _vocab, _vocab));
            }
        }
    }

    private void BindInputs(OrtIoBinding binding, OrtValue ids, OrtValue positions, OrtValue mask, bool hasPast)
    {
        // Rebound every step: a device session copies CPU inputs when they are bound, not when it runs.
        binding.BindInput(DecoderLayout.InputIds, ids);
        if (_layout.HasAttentionMask)
        {
            binding.BindInput(DecoderLayout.AttentionMask, mask);
        }
        if (_layout.HasPositionIds)
        {
            binding.BindInput(DecoderLayout.PositionIds, positions);
        }
        if (_layout.HasUseCacheBranch)
        {
            binding.BindInput(DecoderLayout.UseCacheBranch, hasPast ? _useCache : _noCache);
        }
    }

    private void Run(OrtIoBinding binding)
    {
        var start = Stopwatch.GetTimestamp();
        _session.Session.RunWithBinding(_runOptions, binding);
        LastRunTime = Stopwatch.GetElapsedTime(start);
    }

    private OrtValue LogitView(int rows)
    {
        if (_logitViews[rows] is { } view)
        {
            return view;
        }
        long[] shape = [rows, 1, _vocab];
        view = _logits is not null
            ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _logits.AsMemory(0, rows * _vocab), shape)
            : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _halfLogits.AsMemory(0, rows * _vocab), shape);
        _logitViews[rows] = view;
        return view;
    }

    private void CopyRow(int row, Span<float> target)
    {
        if (_logits is not null)
        {
            _logits.AsSpan(row * _vocab, _vocab).CopyTo(target);
        }
        else
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<Float16, Half>(_halfLogits.AsSpan(row * _vocab, _vocab)), target);
        }
    }

    private void CopyLastRow(OrtValue value, Span<float> logits)
    {
        var target = logits[.._vocab];
        if (_layout.LogitsType == TensorElementType.Float)
        {
            value.GetTensorDataAsSpan<float>()[^_vocab..].CopyTo(target);
        }
        else
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>())[^_vocab..], target);
        }
    }

    private OrtValue Step(OrtValue view)
    {
        _stepViews.Add(view);
        return view;
    }

    private void DisposeStepViews()
    {
        foreach (var view in _stepViews)
        {
            view.Dispose();
        }
        _stepViews.Clear();
    }

    public void Dispose()
    {
        _prefill.Dispose();
        _decode.Dispose();
        DisposeStepViews();
        foreach (var view in _logitViews)
        {
            view?.Dispose();
        }
        _useCache.Dispose();
        _noCache.Dispose();
        _runOptions.Dispose();
    }
}
