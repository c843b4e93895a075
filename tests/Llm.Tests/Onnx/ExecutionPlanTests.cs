using Microsoft.ML.OnnxRuntime;
using Rag.Llm.Onnx;

namespace Rag.Llm.Tests.Onnx;

public class ExecutionPlanTests
{
    [Fact]
    public void Cuda_puts_the_kv_cache_in_the_chosen_device_memory()
    {
        var plan = ExecutionPlan.From("CUDA", deviceId: 1);
        using var memory = plan.CreateKvMemoryInfo();

        Assert.True(plan.IsCuda);
        Assert.Equal("Cuda", memory.Name);
        Assert.Equal(1, memory.Id);
        Assert.Equal(OrtMemoryInfoDeviceType.GPU, memory.GetDeviceType());
    }

    [Fact]
    public void Cpu_is_the_default_and_keeps_the_cache_in_host_memory()
    {
        var plan = ExecutionPlan.From("", 0);
        using var memory = plan.CreateKvMemoryInfo();
        using var options = new SessionOptions();

        plan.Configure(options, ["CPUExecutionProvider"]);

        Assert.False(plan.IsCuda);
        Assert.Equal(OrtMemoryInfoDeviceType.CPU, memory.GetDeviceType());
    }

    [Fact]
    public void Asking_for_cuda_where_the_provider_is_absent_names_what_is_available()
    {
        using var options = new SessionOptions();

        var error = Assert.Throws<InvalidOperationException>(
            () => ExecutionPlan.From("cuda", 0).Configure(options, OrtEnv.Instance().GetAvailableProviders()));

        Assert.Contains("CPUExecutionProvider", error.Message, StringComparison.Ordinal);
        Assert.Contains("OnnxRuntimeGpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_listed_but_not_loadable_fails_with_the_device_named()
    {
        using var options = new SessionOptions();

        // The CPU package lists no CUDA provider; claiming one makes the append itself fail, as on a host without CUDA libraries.
        var error = Assert.Throws<InvalidOperationException>(
            () => ExecutionPlan.From("cuda", 3).Configure(options, ["CUDAExecutionProvider", "CPUExecutionProvider"]));

        Assert.Contains("device 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_providers_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ExecutionPlan.From("rocm", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExecutionPlan.From("cuda", -1));
    }
}
