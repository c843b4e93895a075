namespace Rag.Llm.Generation;

/// <summary>The two things generation needs from a tokenizer.</summary>
public interface ITextTokenizer
{
    /// <summary>Ids of an already rendered prompt: special-token text (e.g. <c>&lt;|im_start|&gt;</c>) becomes its id,
    /// and nothing is added beyond what the tokenizer's own post-processor adds.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Text of <paramref name="ids"/>, special tokens skipped. A trailing incomplete UTF-8 sequence decodes
    /// to U+FFFD.</summary>
    string Decode(ReadOnlySpan<int> ids);
}
