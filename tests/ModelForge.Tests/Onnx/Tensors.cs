using Microsoft.ML.OnnxRuntime;

namespace Rag.ModelForge.Tests.Onnx;

/// <summary>Runs a session on named inputs and copies the outputs out, disposing every native value.</summary>
internal static class Tensors
{
    public sealed record Result(float[] Data, long[] Shape);

    public static Dictionary<string, Result> Run(InferenceSession session, IReadOnlyDictionary<string, OrtValue> inputs)
    {
        var outputNames = session.OutputMetadata.Keys.ToArray();
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), outputNames);
        var results = new Dictionary<string, Result>();
        for (var i = 0; i < outputNames.Length; i++)
        {
            results[outputNames[i]] = new Result(outputs[i].GetTensorDataAsSpan<float>().ToArray(), outputs[i].GetTensorTypeAndShape().Shape);
        }
        foreach (var value in inputs.Values)
        {
            value.Dispose();
        }
        return results;
    }

    public static OrtValue Int64(long[] data, params long[] shape) => OrtValue.CreateTensorValueFromMemory(data, shape);

    public static OrtValue Float(float[] data, params long[] shape) => OrtValue.CreateTensorValueFromMemory(data, shape);

    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }
        return max;
    }
}
