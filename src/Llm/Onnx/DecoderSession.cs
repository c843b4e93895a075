using Microsoft.ML.OnnxRuntime;
using Rag.Llm.Engine;
using Rag.Llm.Loading;

namespace Rag.Llm.Onnx;

/// <summary>Owns the decoder's <see cref="InferenceSession"/>, what its graph expects (<see cref="DecoderLayout"/>)
/// and the allocator its KV cache comes from. The engine's <see cref="ModelExecutor"/> runs it.</summary>
public sealed class DecoderSession : IDisposable
{
    private readonly OrtAllocator _kvAllocator;
    private readonly bool _ownsAllocator;
    private readonly OrtMemoryInfo _kvMemory;
    private readonly bool _onDevice;

    private DecoderSession(InferenceSession session, DecoderLayout layout, int vocabSize, ExecutionPlan plan)
    {
        Session = session;
        Layout = layout;
        VocabSize = vocabSize;
        _kvMemory = plan.CreateKvMemoryInfo();
        _onDevice = plan.IsCuda;
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

    /// <summary>The KV-cache manager for this session's layout: up to <paramref name="maxRows"/> sequences of at most
    /// <paramref name="capacity"/> positions within <paramref name="budgetBytes"/>, in the plan's memory (device memory
    /// under CUDA).</summary>
    public KvCacheManager CreateCacheManager(int maxRows, long budgetBytes, int capacity)
    {
        var memory = new KvMemory(_kvAllocator, _kvMemory, _onDevice);
        return Layout.Kv == KvLayout.Shared
            ? new SharedKvCacheManager(Layout, memory, maxRows, budgetBytes, capacity)
            : new ConcatKvCacheManager(Layout, memory, maxRows, budgetBytes);
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
