namespace Rag.Tokenizers.PostProcessors;

/// <summary>Adds the special tokens around an encoded sequence (BOS, [CLS]/[SEP], ...).</summary>
internal interface IPostProcessor
{
    /// <summary>How many tokens <see cref="Process"/> adds, so truncation can leave room for them.</summary>
    int AddedTokenCount { get; }

    List<TokenSpan> Process(List<TokenSpan> tokens);
}

/// <summary>HF's TemplateProcessing for a single sequence: "$A" is the text, every other item a list of special ids.</summary>
internal sealed class TemplateProcessor(IReadOnlyList<int[]?> single) : IPostProcessor
{
    public int AddedTokenCount { get; } = single.Sum(item => item?.Length ?? 0);

    /// <summary>The template <c>[prefix..] $A [suffix..]</c>, as Llama's add_bos_token/add_eos_token build it.</summary>
    public static TemplateProcessor Around(int? prefix, int? suffix) =>
        new([prefix is { } p ? [p] : [], null, suffix is { } s ? [s] : []]);

    public List<TokenSpan> Process(List<TokenSpan> tokens)
    {
        var output = new List<TokenSpan>(tokens.Count + AddedTokenCount);
        foreach (var item in single)
        {
            if (item is null)
            {
                output.AddRange(tokens);
                continue;
            }

            foreach (var id in item)
            {
                output.Add(new TokenSpan(id, 0, 0));
            }
        }

        return output;
    }
}

internal sealed class SequencePostProcessor(IReadOnlyList<IPostProcessor> steps) : IPostProcessor
{
    public int AddedTokenCount { get; } = steps.Sum(s => s.AddedTokenCount);

    public List<TokenSpan> Process(List<TokenSpan> tokens)
    {
        foreach (var step in steps)
        {
            tokens = step.Process(tokens);
        }

        return tokens;
    }
}
