using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Rag.Embedding.Loading;

namespace Rag.Embedding.Batching;

/// <summary>
/// The input and output tensors of one batch, as <see cref="OrtValue"/>s over pooled managed arrays (pinned while
/// the values live), so the run reads our buffers and writes its output straight into one of them.
/// Shapes: inputs <c>[batch, sequence]</c> int64, padded on the right to the longest text; output
/// <c>[batch, sequence, hidden]</c>, or <c>[batch, dim]</c> when the model pools itself. Owns everything it rents.
/// </summary>
internal sealed class BatchTensors : IDisposable
{
    private readonly long[][] _inputBuffers;
    private readonly float[] _outputBuffer;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;

    public BatchTensors(ModelSignature signature, ReadOnlySpan<EncodedText> batch, int padId)
    {
        BatchSize = batch.Length;
        SequenceLength = 0;
        foreach (var text in batch)
        {
            SequenceLength = Math.Max(SequenceLength, text.Length);
        }
        var cells = BatchSize * SequenceLength;
        long[] inputShape = [BatchSize, SequenceLength];

        _inputBuffers = new long[signature.Inputs.Count][];
        _inputs = new OrtValue[signature.Inputs.Count];
        for (var i = 0; i < _inputs.Length; i++)
        {
            var buffer = _inputBuffers[i] = ArrayPool<long>.Shared.Rent(cells);
            Fill(signature.Inputs[i].Kind, batch, buffer.AsSpan(0, cells), padId);
            _inputs[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, cells), inputShape);
        }

        long[] outputShape = signature.OutputIsPooled
            ? [BatchSize, signature.OutputWidth]
            : [BatchSize, SequenceLength, signature.OutputWidth];
        var outputLength = (int)(outputShape[0] * outputShape[1] * (signature.OutputIsPooled ? 1 : outputShape[2]));
        _outputBuffer = ArrayPool<float>.Shared.Rent(outputLength);
        Output = _outputBuffer.AsMemory(0, outputLength);
        _outputs = [OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Output, outputShape)];
    }

    public int BatchSize { get; }

    public int SequenceLength { get; }

    public IReadOnlyCollection<OrtValue> Inputs => _inputs;

    public IReadOnlyCollection<OrtValue> Outputs => _outputs;

    /// <summary>The model output after the run, row-major.</summary>
    public Memory<float> Output { get; }

    private static void Fill(InputKind kind, ReadOnlySpan<EncodedText> batch, Span<long> cells, int padId)
    {
        var sequence = cells.Length / batch.Length;
        for (var row = 0; row < batch.Length; row++)
        {
            var ids = batch[row].Ids;
            var line = cells.Slice(row * sequence, sequence);
            switch (kind)
            {
                case InputKind.TokenIds:
                    for (var t = 0; t < ids.Length; t++)
                    {
                        line[t] = ids[t];
                    }
                    line[ids.Length..].Fill(padId);
                    break;
                case InputKind.AttentionMask:
                    line[..ids.Length].Fill(1);
                    line[ids.Length..].Clear();
                    break;
                case InputKind.TokenTypeIds:
                    // Padding is type 0, as Hugging Face pads token_type_ids.
                    var second = batch[row].SecondSegmentStart > 0 ? batch[row].SecondSegmentStart : ids.Length;
                    line.Clear();
                    line[second..ids.Length].Fill(1);
                    break;
                case InputKind.PositionIds:
                    for (var t = 0; t < line.Length; t++)
                    {
                        line[t] = t;
                    }
                    break;
            }
        }
    }

    public void Dispose()
    {
        foreach (var value in _outputs)
        {
            value.Dispose();
        }
        foreach (var value in _inputs)
        {
            value?.Dispose();
        }
        foreach (var buffer in _inputBuffers)
        {
            if (buffer is not null)
            {
                ArrayPool<long>.Shared.Return(buffer);
            }
        }
        ArrayPool<float>.Shared.Return(_outputBuffer);
    }
}
