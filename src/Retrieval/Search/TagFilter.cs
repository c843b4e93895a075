using System.Text.Json.Serialization;

namespace Rag.Retrieval.Search;

/// <summary>
/// A boolean expression over document tags. Parse one from JSON with <see cref="TagFilterParser"/>:
/// <c>{"lang": "en"}</c> (tag equals), <c>{"lang": ["en", "fr"]}</c> (any of), several keys in one
/// object are ANDed, and <c>{"$and": [...]}</c>, <c>{"$or": [...]}</c>, <c>{"$not": {...}}</c> combine.
/// </summary>
[JsonConverter(typeof(TagFilterJsonConverter))]
public abstract record TagFilter
{
    public static TagFilter Tag(string key, string value) => new TagEquals(key, value);

    public static TagFilter And(params TagFilter[] operands) => new AndFilter(operands);

    public static TagFilter Or(params TagFilter[] operands) => new OrFilter(operands);

    public static TagFilter Not(TagFilter operand) => new NotFilter(operand);
}

public sealed record TagEquals(string Key, string Value) : TagFilter;

public sealed record AndFilter(IReadOnlyList<TagFilter> Operands) : TagFilter;

public sealed record OrFilter(IReadOnlyList<TagFilter> Operands) : TagFilter;

public sealed record NotFilter(TagFilter Operand) : TagFilter;
