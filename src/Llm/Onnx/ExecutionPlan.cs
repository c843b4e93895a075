using Microsoft.ML.OnnxRuntime;

namespace Rag.Llm.Onnx;

/// <summary>Where the decoder runs and where its KV cache lives: CPU memory, or the CUDA device's own memory so the
/// cache never crosses PCIe during decode.</summary>
public sealed record ExecutionPlan(string Provider, int DeviceId)
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";
    private const string CudaProviderName = "CUDAExecutionProvider";

    public bool IsCuda => Provider == Cuda;

    public static ExecutionPlan From(string provider, int deviceId)
    {
        var normalized = provider?.Trim().ToLowerInvariant() switch
        {
            null or "" or Cpu => Cpu,
            Cuda => Cuda,
            _ => throw new ArgumentException($"Llm:ExecutionProvider '{provider}' is not supported; use 'cpu' or 'cuda'.", nameof(provider)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        return new ExecutionPlan(normalized, deviceId);
    }

    /// <summary>Memory the KV buffers are allocated in (and bound from).</summary>
    public OrtMemoryInfo CreateKvMemoryInfo() => IsCuda
        ? new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, DeviceId, OrtMemType.Default)
        : new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.Default);

    /// <summary>Adds the provider to <paramref name="options"/>; fails with the reason when this process cannot use it.</summary>
    public void Configure(SessionOptions options, IReadOnlyCollection<string> availableProviders)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(availableProviders);
        if (!IsCuda)
        {
            return;
        }
        if (!availableProviders.Contains(CudaProviderName))
        {
            throw new InvalidOperationException(
                $"Llm:ExecutionProvider is 'cuda' but this ONNX Runtime build offers only {string.Join(", ", availableProviders)}. " +
                "Build with -p:OnnxRuntimeGpu=true (Microsoft.ML.OnnxRuntime.Gpu) and install CUDA 12 with cuDNN 9.");
        }
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            options.AppendExecutionProvider_CUDA(cuda);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException(
                $"The CUDA execution provider could not load for device {DeviceId}: {e.Message} " +
                "Check that the CUDA 12 and cuDNN 9 libraries are on the library path and the device exists.", e);
        }
    }
}
