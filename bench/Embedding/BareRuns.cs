using Microsoft.ML.OnnxRuntime;
using Rag.Embedding.Batching;
using Rag.Embedding.Loading;

namespace Rag.Embedding.Bench;

/// <summary>
/// The baseline: plain <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// on prepared input tensors, with nothing around it — no tokenizing, no queue, no pooling.
/// </summary>
internal sealed class BareRuns : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly List<OrtValue[]> _batches = [];

    public BareRuns(string onnxFile, int threads, ModelSignature signature, EncodedText[] texts, BatchPlan plan)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads > 0)
        {
            options.IntraOpNumThreads = threads;
        }
        _session = new InferenceSession(onnxFile, options);
        _inputNames = [.. signature.Inputs.Select(i => i.Name)];
        _outputNames = [signature.OutputName];
        foreach (var range in plan.Batches)
        {
            var members = plan.Order[range];
            var sequence = members.Max(i => texts[i].Length);
            long[] shape = [members.Length, sequence];
            _batches.Add([.. signature.Inputs.Select(input =>
            {
                var values = new long[members.Length * sequence];
                for (var row = 0; row < members.Length; row++)
                {
                    var ids = texts[members[row]].Ids;
                    for (var t = 0; t < ids.Length; t++)
                    {
                        values[row * sequence + t] = input.Kind switch
                        {
                            InputKind.TokenIds => ids[t],
                            InputKind.AttentionMask => 1,
                            InputKind.PositionIds => t,
                            _ => 0,
                        };
                    }
                }
                return OrtValue.CreateTensorValueFromMemory(values, shape);
            })]);
        }
    }

    /// <summary>Runs the first (longest) batches, so the session's arena has grown before the clock runs.</summary>
    public void WarmUp()
    {
        for (var b = 0; b < Math.Min(3, _batches.Count); b++)
        {
            Run(b);
        }
    }

    /// <summary>Runs batch <paramref name="index"/> of the plan.</summary>
    public void Run(int index)
    {
        using var outputs = _session.Run(_runOptions, _inputNames, _batches[index], _outputNames);
    }

    public void Dispose()
    {
        foreach (var value in _batches.SelectMany(b => b))
        {
            value.Dispose();
        }
        _runOptions.Dispose();
        _session.Dispose();
    }
}
