using Microsoft.ML.OnnxRuntime;

namespace Rag.Embedding.Loading;

/// <summary>Opens an encoder graph the way every model here runs: all graph optimizations, sequential execution, optional CUDA.</summary>
internal static class SessionFactory
{
    /// <param name="intraOpThreads">0 lets ONNX Runtime choose.</param>
    /// <param name="cudaDevice">Needs the GPU build of ONNX Runtime.</param>
    public static InferenceSession Open(string onnxFile, int intraOpThreads, int? cudaDevice)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }
        if (cudaDevice is { } device)
        {
            options.AppendExecutionProvider_CUDA(device);
        }
        return new InferenceSession(onnxFile, options);
    }
}
