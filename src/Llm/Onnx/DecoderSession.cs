using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.Llm.Loading;

namespace Rag.Llm.Onnx;

/// <summary>Owns the decoder's <see cref="InferenceSession"/> and runs one step (a prefill over many tokens or a
/// decode of one) for a <see cref="DecodeState"/>. Thread-safe: concurrent requests each bring their own state.</summary>
public sealed class DecoderSession : IDisposable
{
    private readonly OrtAllocator _kvAllocator;
    private readonly bool _ownsAllocator;
    private readonly OrtMemoryInfo _kvMemory;
    private readonly OrtMemoryInfo _cpuMemory = OrtMemoryInfo.DefaultInstance;

    private DecoderSession(InferenceSession session, DecoderLayout layout, int vocabSize, ExecutionPlan plan)
    {
        Session = session;
        Layout = layout;
        VocabSize = vocabSize;
        _kvMemory = plan.CreateKvMemoryInfo();
        if (plan.IsCuda)
        {
            _kvAllocator = new OrtAllocator(session, _kvMemory);
            _ownsAllocator = true;
        }
        else
        {
            _kvAllocator = OrtAllocator.DefaultInstance;
        }
    }

    public DecoderLayout Layout { get; }
    public int VocabSize { get; }
    internal InferenceSession Session { get; }

    public static DecoderSession Load(ModelFolder folder, ExecutionPlan plan, int intraOpThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(plan);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }
        plan.Configure(options, OrtEnv.Instance().GetAvailableProviders());
        InferenceSession session;
        try
        {
            session = new InferenceSession(folder.DecoderPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"ONNX Runtime could not load '{folder.DecoderPath}': {e.Message}", e);
        }
        try
        {
            var layout = DecoderLayout.Detect(session.InputMetadata, session.OutputMetadata, folder.Config);
            var logitDims = session.OutputMetadata[DecoderLayout.Logits].Dimensions;
            var vocab = logitDims.Length == 3 && logitDims[2] > 0 ? logitDims[2] : folder.Config.VocabSize;
            return new DecoderSession(session, layout, vocab, plan);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A fresh request state whose cache holds up to <paramref name="capacity"/> positions. A concat-layout
    /// cache starts at <paramref name="initialCapacity"/> (default: all of it) and doubles as needed.</summary>
    public DecodeState CreateState(int capacity, int? initialCapacity = null)
    {
        var cache = new KvCache(Layout, _kvAllocator, capacity, initialCapacity ?? capacity);
        OrtValue? logits = null;
        try
        {
            long[] shape = [1, 1, VocabSize];
            logits = Layout.LogitsType == TensorElementType.Float
                ? OrtValue.CreateTensorValueFromMemory(_cpuMemory, new float[VocabSize].AsMemory(), shape)
                : OrtValue.CreateTensorValueFromMemory(_cpuMemory, new Float16[VocabSize].AsMemory(), shape);
            return new DecodeState(Layout, cache, Session, logits);
        }
        catch
        {
            logits?.Dispose();
            cache.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="tokens"/> after the cached positions and writes the last position's logits
    /// (as float32) into <paramref name="logits"/>.</summary>
    public void Run(DecodeState state, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("A step needs at least one token.", nameof(tokens));
        }
        if (logits.Length < VocabSize)
        {
            throw new ArgumentException($"The logits span holds {logits.Length} values; the vocabulary has {VocabSize}.", nameof(logits));
        }
        // The cache first: it refuses a step past its capacity before the inputs are written.
        state.Cache.Bind(state.Binding, tokens.Length);
        state.BindInputs(tokens);
        if (tokens.Length == 1)
        {
            RunDecode(state, logits);
        }
        else
        {
            RunPrefill(state, logits);
        }
        state.Cache.Advance(tokens.Length);
    }

    private void RunDecode(DecodeState state, Span<float> logits)
    {
        if (!state.DecodeLogitsBound)
        {
            state.Binding.BindOutput(DecoderLayout.Logits, state.DecodeLogits);
            state.DecodeLogitsBound = true;
        }
        var start = Stopwatch.GetTimestamp();
        Session.RunWithBinding(state.RunOptions, state.Binding);
        state.DecodeRunTime += Stopwatch.GetElapsedTime(start);
        CopyLastRow(state.DecodeLogits, logits);
    }

    private void RunPrefill(DecodeState state, Span<float> logits)
    {
        // [1, n, vocab] changes with the prompt length: let ORT allocate it, then read only the last row.
        state.Binding.BindOutputToDevice(DecoderLayout.Logits, _cpuMemory);
        state.DecodeLogitsBound = false;
        Session.RunWithBinding(state.RunOptions, state.Binding);
        var names = state.Binding.GetOutputNames();
        using var outputs = state.Binding.GetOutputValues();
        CopyLastRow(outputs[Array.IndexOf(names, DecoderLayout.Logits)], logits);
    }

    private void CopyLastRow(OrtValue value, Span<float> logits)
    {
        var target = logits[..VocabSize];
        if (Layout.LogitsType == TensorElementType.Float)
        {
            var all = value.GetTensorDataAsSpan<float>();
            all[^VocabSize..].CopyTo(target);
        }
        else
        {
            var all = MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>());
            TensorPrimitives.ConvertToSingle(all[^VocabSize..], target);
        }
    }

    public void Dispose()
    {
        if (_ownsAllocator)
        {
            _kvAllocator.Dispose();
        }
        _kvMemory.Dispose();
        Session.Dispose();
    }
}
