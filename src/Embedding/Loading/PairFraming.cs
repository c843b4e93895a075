using System.Text.Json;
using Rag.Embedding.Batching;

namespace Rag.Embedding.Loading;

/// <summary>
/// How a cross-encoder takes a (query, passage) pair: BERT's <c>[CLS] A [SEP] B [SEP]</c> (token types 0 through the
/// first separator, 1 after) or RoBERTa / XLM-R's <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c> (all type 0, as
/// bge-reranker takes it). The first text (the query) is kept whole and the second (the passage) cut to fit, unless
/// the first alone leaves no room: then it keeps what the second leaves of the budget, at most all but half of it.
/// </summary>
/// <param name="Start">Id before the first text ([CLS], &lt;s&gt;).</param>
/// <param name="Separator">Id after each text ([SEP], &lt;/s&gt;).</param>
/// <param name="MiddleSeparators">Separators between the texts: 1 for BERT, 2 for RoBERTa.</param>
/// <param name="SecondSegmentTyped">True when the second text and its separator are token type 1 (BERT).</param>
public sealed record PairFraming(int Start, int Separator, int MiddleSeparators, bool SecondSegmentTyped)
{
    public static PairFraming Bert(int cls, int sep) => new(cls, sep, 1, true);

    public static PairFraming Roberta(int cls, int sep) => new(cls, sep, 2, false);

    public int SpecialTokenCount => 2 + MiddleSeparators;

    public EncodedText Frame(IReadOnlyList<int> first, IReadOnlyList<int> second, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var content = Math.Max(0, maxLength - SpecialTokenCount);
        var firstKept = first.Count <= content ? first.Count : content - Math.Min(second.Count, content / 2);
        var secondKept = Math.Min(second.Count, content - firstKept);
        var ids = new int[firstKept + secondKept + SpecialTokenCount];
        ids[0] = Start;
        for (var i = 0; i < firstKept; i++)
        {
            ids[1 + i] = first[i];
        }
        var secondStart = 1 + firstKept + MiddleSeparators;
        ids.AsSpan(1 + firstKept, MiddleSeparators).Fill(Separator);
        for (var i = 0; i < secondKept; i++)
        {
            ids[secondStart + i] = second[i];
        }
        ids[^1] = Separator;
        return new EncodedText(ids, firstKept < first.Count || secondKept < second.Count, SecondSegmentTyped ? secondStart : 0);
    }

    /// <summary>
    /// The pair template of a <c>tokenizer.json</c> post-processor: BertProcessing, RobertaProcessing, or a
    /// TemplateProcessing of either shape. Anything else (no post-processor, another layout) is a
    /// <see cref="NotSupportedException"/> naming the file.
    /// </summary>
    public static PairFraming Read(string tokenizerJson)
    {
        var processor = ConfigFile.Read(tokenizerJson) is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("post_processor", out var p)
            ? p
            : default;
        if (ConfigFile.String(processor, "type") == "Sequence" && processor.TryGetProperty("processors", out var steps) && steps.ValueKind == JsonValueKind.Array)
        {
            processor = steps.EnumerateArray().FirstOrDefault(s => ConfigFile.String(s, "type") is "TemplateProcessing" or "BertProcessing" or "RobertaProcessing");
        }
        var type = ConfigFile.String(processor, "type");
        var framing = type switch
        {
            "BertProcessing" => FromSpecialPairs(processor, Bert),
            "RobertaProcessing" => FromSpecialPairs(processor, Roberta),
            "TemplateProcessing" => FromTemplate(processor),
            _ => null,
        };
        return framing ?? throw new NotSupportedException(type is null
            ? $"'{tokenizerJson}' has no post_processor, so it does not say how a (query, passage) pair is framed; a cross-encoder needs '[CLS] A [SEP] B [SEP]' (BERT) or '<s> A </s></s> B </s>' (XLM-R)."
            : $"'{tokenizerJson}': the post_processor ({type}) frames pairs neither as '[CLS] A [SEP] B [SEP]' (BERT) nor as '<s> A </s></s> B </s>' (XLM-R), the layouts supported.");
    }

    /// <summary><c>"cls": ["[CLS]", 101], "sep": ["[SEP]", 102]</c>.</summary>
    private static PairFraming? FromSpecialPairs(JsonElement processor, Func<int, int, PairFraming> create) =>
        SecondId(processor, "cls") is { } cls && SecondId(processor, "sep") is { } sep ? create(cls, sep) : null;

    /// <summary>
    /// <c>Special(X):0 A:0 Special(Y):0 B:1 Special(Y):1</c> (BERT) or <c>Special(X):0 A:0 Special(Y):0 Special(Y):0 B:0 Special(Y):0</c>
    /// (RoBERTa), each special a single id.
    /// </summary>
    private static PairFraming? FromTemplate(JsonElement processor)
    {
        if (!processor.TryGetProperty("pair", out var pair) || pair.ValueKind != JsonValueKind.Array
            || !processor.TryGetProperty("special_tokens", out var specials) || specials.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var items = pair.EnumerateArray().Select(item => Item(item, specials)).ToArray();
        return items switch
        {
            [(null, 0, { } start), ("A", 0, _), (null, 0, { } sep), ("B", 1, _), (null, 1, { } end)] when end == sep => Bert(start, sep),
            [(null, 0, { } start), ("A", 0, _), (null, 0, { } sep), (null, 0, { } sep2), ("B", 0, _), (null, 0, { } end)]
                when sep2 == sep && end == sep => Roberta(start, sep),
            _ => null,
        };
    }

    private static (string? Sequence, int? Type, int? Id) Item(JsonElement item, JsonElement specials)
    {
        if (item.TryGetProperty("Sequence", out var sequence))
        {
            return (ConfigFile.String(sequence, "id"), ConfigFile.Int(sequence, "type_id"), null);
        }
        if (item.TryGetProperty("SpecialToken", out var special) && ConfigFile.String(special, "id") is { } name
            && specials.TryGetProperty(name, out var token) && token.TryGetProperty("ids", out var ids)
            && ids.ValueKind == JsonValueKind.Array && ids.GetArrayLength() == 1 && ids[0].TryGetInt32(out var id))
        {
            return (null, ConfigFile.Int(special, "type_id"), id);
        }
        return ("?", null, null);
    }

    private static int? SecondId(JsonElement processor, string name) =>
        processor.TryGetProperty(name, out var pair) && pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2
            && pair[1].TryGetInt32(out var id)
            ? id
            : null;
}
