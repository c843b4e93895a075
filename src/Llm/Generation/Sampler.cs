using System.Numerics.Tensors;

namespace Rag.Llm.Generation;

/// <summary>Picks the next token: penalties → temperature → top-k → top-p → min-p → draw (temperature 0: argmax).
/// Stateless apart from the scratch buffers it reuses, which are sized to the vocabulary once.</summary>
public sealed class Sampler
{
    private readonly int[] _order;
    private readonly float[] _scratch;

    public Sampler(int vocabSize)
    {
        _order = new int[vocabSize];
        _scratch = new float[vocabSize];
    }

    /// <summary>Samples from <paramref name="logits"/>, which it modifies in place.</summary>
    public int Sample(Span<float> logits, SamplingOptions options, TokenHistory history, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(random);
        ApplyPenalties(logits, options, history);
        if (options.IsGreedy)
        {
            return TensorPrimitives.IndexOfMax(logits);
        }
        TensorPrimitives.Divide(logits, options.Temperature, logits);
        if (options.TopK <= 0 && options.TopP >= 1f && options.MinP <= 0f)
        {
            // No filter needs the tokens in order: draw straight from the softmax over the vocabulary, no sort per token.
            var all = _scratch.AsSpan(0, logits.Length);
            TensorPrimitives.SoftMax(logits, all);
            return Draw(all, random);
        }

        var candidates = RankCandidates(logits, options);
        var order = _order.AsSpan(0, candidates);
        var probs = _scratch.AsSpan(0, candidates);
        for (var i = 0; i < candidates; i++)
        {
            probs[i] = logits[order[i]];
        }
        TensorPrimitives.SoftMax(probs, probs);

        var keep = candidates;
        if (options.TopP < 1f)
        {
            // Smallest prefix of the descending order whose mass reaches p.
            var mass = 0f;
            for (keep = 0; keep < candidates;)
            {
                mass += probs[keep++];
                if (mass >= options.TopP)
                {
                    break;
                }
            }
        }
        if (options.MinP > 0f)
        {
            var floor = options.MinP * probs[0];
            var kept = 1;
            while (kept < keep && probs[kept] >= floor)
            {
                kept++;
            }
            keep = kept;
        }
        return order[Draw(probs[..keep], random)];
    }

    private static void ApplyPenalties(Span<float> logits, SamplingOptions options, TokenHistory history)
    {
        if (options.RepetitionPenalty != 1f)
        {
            foreach (var token in history.ContextTokens)
            {
                var logit = logits[token];
                logits[token] = logit > 0 ? logit / options.RepetitionPenalty : logit * options.RepetitionPenalty;
            }
        }
        if (options.PresencePenalty != 0f || options.FrequencyPenalty != 0f)
        {
            foreach (var token in history.GeneratedTokens)
            {
                logits[token] -= options.PresencePenalty + (options.FrequencyPenalty * history.GeneratedCount(token));
            }
        }
    }

    /// <summary>Fills the order buffer with candidate ids, most likely first, and returns how many there are.
    /// Top-k limits the set before sorting so a small k never sorts the whole vocabulary.</summary>
    private int RankCandidates(ReadOnlySpan<float> logits, SamplingOptions options)
    {
        var vocab = logits.Length;
        var k = options.TopK > 0 ? Math.Min(options.TopK, vocab) : vocab;
        var order = _order.AsSpan(0, vocab);
        var keys = _scratch.AsSpan(0, vocab);
        for (var i = 0; i < vocab; i++)
        {
            order[i] = i;
            keys[i] = -logits[i];
        }
        if (k < vocab)
        {
            SelectSmallest(keys, order, k);
        }
        // Ascending keys are descending logits.
        keys[..k].Sort(order[..k]);
        return k;
    }

    /// <summary>Partial quickselect: moves the k smallest keys (with their ids) to the front.</summary>
    private static void SelectSmallest(Span<float> keys, Span<int> ids, int k)
    {
        int lo = 0, hi = keys.Length - 1;
        while (lo < hi)
        {
            var pivot = keys[lo + ((hi - lo) / 2)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot)
                {
                    i++;
                }
                while (keys[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    (ids[i], ids[j]) = (ids[j], ids[i]);
                    i++;
                    j--;
                }
            }
            if (k - 1 <= j)
            {
                hi = j;
            }
            else if (k - 1 >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>The index of a draw from <paramref name="probs"/> (renormalised over what is kept).</summary>
    private static int Draw(ReadOnlySpan<float> probs, Random random)
    {
        var total = TensorPrimitives.Sum(probs);
        var target = random.NextDouble() * total;
        var cumulative = 0d;
        for (var i = 0; i < probs.Length; i++)
        {
            cumulative += probs[i];
            if (target < cumulative)
            {
                return i;
            }
        }
        return probs.Length - 1;
    }
}
