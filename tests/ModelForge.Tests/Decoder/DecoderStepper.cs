using Microsoft.ML.OnnxRuntime;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Tests.Onnx;

namespace Rag.ModelForge.Tests.Decoder;

/// <summary>
/// Drives a forged decoder step by step the way an engine would, copying each step's present.* back in as
/// past_key_values.* (Optimum: growing past; GQA: fixed capacity). Logits are returned as [batch, seq, vocab].
/// </summary>
internal sealed class DecoderStepper : IDisposable
{
    private readonly InferenceSession _session;
    private readonly DecoderConfig _config;
    private readonly DecoderOptions _options;
    private readonly int _batch;
    private readonly float[][] _past;
    private long _pastLength;

    public DecoderStepper(string folder, DecoderConfig config, DecoderLayout layout, int batch = 1, int capacity = 128)
        : this(folder, config, new DecoderOptions(Layout: layout), batch, capacity)
    {
    }

    /// <summary>Feeds ids and past in the types <paramref name="options"/> declares; logits come back as float32.</summary>
    public DecoderStepper(string folder, DecoderConfig config, DecoderOptions options, int batch = 1, int capacity = 128)
    {
        _session = new InferenceSession(Path.Combine(folder, "onnx", "model.onnx"));
        _config = config;
        _options = options;
        _batch = batch;
        _pastLength = options.Layout == DecoderLayout.Gqa ? capacity : 0;
        _past = Enumerable.Range(0, 2 * config.Layers).Select(_ => new float[batch * config.KvHeads * _pastLength * config.HeadDim]).ToArray();
    }

    /// <summary>Runs one step; <paramref name="mask"/> covers every position so far, [batch, total]. A merged
    /// decoder takes its with-past branch once there is a past, unless <paramref name="useCacheBranch"/> says otherwise.</summary>
    public float[] Step(long[] ids, long[] mask, long[]? positions = null, bool? useCacheBranch = null)
    {
        var seq = ids.Length / _batch;
        var total = mask.Length / _batch;
        var inputs = new Dictionary<string, OrtValue>
        {
            ["input_ids"] = Tensors.Ids(ids, _options.IdType, _batch, seq),
            ["attention_mask"] = Tensors.Ids(mask, _options.IdType, _batch, total),
        };
        if (_options.Layout == DecoderLayout.Optimum)
        {
            inputs["position_ids"] = Tensors.Ids(positions ?? Enumerable.Range(total - seq, seq).Select(p => (long)p).ToArray(), _options.IdType, _batch, seq);
        }
        if (_options.Merged)
        {
            inputs["use_cache_branch"] = OrtValue.CreateTensorValueFromMemory(new[] { useCacheBranch ?? _pastLength > 0 }, [1]);
        }
        for (var l = 0; l < _config.Layers; l++)
        {
            inputs[$"past_key_values.{l}.key"] = Tensors.Floats(_past[2 * l], _options.KvType, _batch, _config.KvHeads, _pastLength, _config.HeadDim);
            inputs[$"past_key_values.{l}.value"] = Tensors.Floats(_past[2 * l + 1], _options.KvType, _batch, _config.KvHeads, _pastLength, _config.HeadDim);
        }
        var outputs = Tensors.Run(_session, inputs);
        for (var l = 0; l < _config.Layers; l++)
        {
            _past[2 * l] = outputs[$"present.{l}.key"].Data;
            _past[2 * l + 1] = outputs[$"present.{l}.value"].Data;
        }
        _pastLength = outputs["present.0.key"].Shape[2];
        var logits = outputs["logits"];
        Assert.Equal([_batch, seq, _config.VocabSize], logits.Shape);
        return logits.Data;
    }

    /// <summary>Single unpadded sequence convenience: the mask is all ones up to <paramref name="total"/>.</summary>
    public float[] Step(long[] ids, int total) => Step(ids, Enumerable.Repeat(1L, total).ToArray());

    public void Dispose() => _session.Dispose();
}
