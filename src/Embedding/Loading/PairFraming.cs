using System.Text.Json;
using Rag.Embedding.Batching;

namespace Rag.Embedding.Loading;

/// <summary>
/// BERT's pair template <c>[CLS] A [SEP] B [SEP]</c> (token types 0 through the first separator, 1 after), the only
/// pair layout a cross-encoder here is fed. The first text (the query) is kept whole and the second (the passage)
/// cut to fit, unless the first alone leaves no room: then it keeps what the second leaves of the budget, at most
/// all but half of it.
/// </summary>
public sealed record PairFraming(int Start, int Separator)
{
    private const int SpecialTokens = 3;

    public EncodedText Frame(IReadOnlyList<int> first, IReadOnlyList<int> second, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var content = Math.Max(0, maxLength - SpecialTokens);
        var firstKept = first.Count <= content ? first.Count : content - Math.Min(second.Count, content / 2);
        var secondKept = Math.Min(second.Count, content - firstKept);
        var ids = new int[firstKept + secondKept + SpecialTokens];
        ids[0] = Start;
        for (var i = 0; i < firstKept; i++)
        {
            ids[1 + i] = first[i];
        }
        ids[firstKept + 1] = Separator;
        var secondStart = firstKept + 2;
        for (var i = 0; i < secondKept; i++)
        {
            ids[secondStart + i] = second[i];
        }
        ids[^1] = Separator;
        return new EncodedText(ids, firstKept < first.Count || secondKept < second.Count, secondStart);
    }

    /// <summary>
    /// The pair template of a <c>tokenizer.json</c> post-processor: TemplateProcessing of BERT's shape, or
    /// BertProcessing. Anything else (RobertaProcessing's <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c> of XLM-R
    /// rerankers such as bge-reranker, no post-processor) is a <see cref="NotSupportedException"/> naming the file.
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
            "BertProcessing" => FromBertProcessing(processor),
            "TemplateProcessing" => FromTemplate(processor),
            _ => null,
        };
        return framing ?? throw new NotSupportedException(type switch
        {
            "RobertaProcessing" => $"'{tokenizerJson}': RobertaProcessing pairs (XLM-R / RoBERTa '<s> A </s></s> B </s>', e.g. bge-reranker) are not supported; only BERT-style cross-encoders ('[CLS] A [SEP] B [SEP]') are.",
            null => $"'{tokenizerJson}' has no post_processor, so it does not say how a (query, passage) pair is framed; only BERT-style cross-encoders ('[CLS] A [SEP] B [SEP]') are supported.",
            _ => $"'{tokenizerJson}': the post_processor ({type}) does not frame pairs as '[CLS] A [SEP] B [SEP]', the only pair layout supported.",
        });
    }

    /// <summary><c>"cls": ["[CLS]", 101], "sep": ["[SEP]", 102]</c>.</summary>
    private static PairFraming? FromBertProcessing(JsonElement processor) =>
        SecondId(processor, "cls") is { } cls && SecondId(processor, "sep") is { } sep ? new PairFraming(cls, sep) : null;

    /// <summary>The pair template must be <c>Special(X):0 A:0 Special(Y):0 B:1 Special(Y):1</c>, each special one id.</summary>
    private static PairFraming? FromTemplate(JsonElement processor)
    {
        if (!processor.TryGetProperty("pair", out var pair) || pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 5
            || !processor.TryGetProperty("special_tokens", out var specials) || specials.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var items = pair.EnumerateArray().Select(item => Item(item, specials)).ToArray();
        return items is [(null, 0, { } start), ("A", 0, _), (null, 0, { } separator), ("B", 1, _), (null, 1, { } end)] && end == separator
            ? new PairFraming(start, separator)
            : null;
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
