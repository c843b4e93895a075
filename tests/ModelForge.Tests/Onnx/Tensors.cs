using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rag.ModelForge.Onnx;

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
            var info = outputs[i].GetTensorTypeAndShape();
            results[outputNames[i]] = new Result(ToFloat(outputs[i], info.ElementDataType), info.Shape);
        }
        foreach (var value in inputs.Values)
        {
            value.Dispose();
        }
        return results;
    }

    public static OrtValue Int64(long[] data, params long[] shape) => OrtValue.CreateTensorValueFromMemory(data, shape);

    /// <summary>Ids as the graph declares them: int64 or int32.</summary>
    public static OrtValue Ids(long[] data, OnnxDataType type, params long[] shape) => type == OnnxDataType.Int64
        ? Int64(data, shape)
        : OrtValue.CreateTensorValueFromMemory(data.Select(x => checked((int)x)).ToArray(), shape);

    /// <summary>Floats as the graph declares them: float32 or float16 (rounded to nearest).</summary>
    public static OrtValue Floats(float[] data, OnnxDataType type, params long[] shape) => type == OnnxDataType.Float
        ? Float(data, shape)
        : OrtValue.CreateTensorValueFromMemory(data.Select(x => (Float16)x).ToArray(), shape);

    public static OrtValue Float(float[] data, params long[] shape) => OrtValue.CreateTensorValueFromMemory(data, shape);

    private static float[] ToFloat(OrtValue value, TensorElementType type) => type switch
    {
        TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
        TensorElementType.Float16 => value.GetTensorDataAsSpan<Float16>().ToArray().Select(x => (float)x).ToArray(),
        _ => throw new NotSupportedException($"Output of type {type}."),
    };

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
