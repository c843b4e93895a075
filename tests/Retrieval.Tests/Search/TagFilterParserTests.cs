using System.Text.Json;
using Rag.Retrieval.Search;

namespace Rag.Retrieval.Tests.Search;

public sealed class TagFilterParserTests
{
    [Fact]
    public void Several_keys_in_one_object_are_anded_and_arrays_are_any_of()
    {
        var filter = TagFilterParser.Parse("""{"lang": ["en", "fr"], "type": "guide"}""");

        var expected = TagFilter.And(TagFilter.Or(TagFilter.Tag("lang", "en"), TagFilter.Tag("lang", "fr")), TagFilter.Tag("type", "guide"));
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(filter));
        Assert.Equal("""{"$and":[{"$or":[{"lang":"en"},{"lang":"fr"}]},{"type":"guide"}]}""", JsonSerializer.Serialize(filter));
    }

    [Theory]
    [InlineData("{\"lang\": \"en\"", "not valid JSON")]
    [InlineData("""["lang"]""", "$: a filter must be a JSON object")]
    [InlineData("""{"$xor": []}""", "$.$xor: unknown operator")]
    [InlineData("""{"$or": []}""", "$.$or: expected a non-empty array")]
    [InlineData("""{"$and": [{"a": 1}]}""", "$.$and[0].a: a tag value must be a string")]
    [InlineData("""{}""", "$: an empty object")]
    public void Bad_syntax_is_reported_with_its_location(string json, string expected)
    {
        var error = Assert.Throws<TagFilterException>(() => TagFilterParser.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_dto_can_carry_a_filter_through_System_Text_Json()
    {
        var request = JsonSerializer.Deserialize<Carrier>("""{"filter": {"$not": {"lang": "de"}}}""", JsonSerializerOptions.Web)!;

        Assert.Equal(TagFilter.Not(TagFilter.Tag("lang", "de")), request.Filter);
        Assert.Equal("""{"filter":{"$not":{"lang":"de"}}}""", JsonSerializer.Serialize(request, JsonSerializerOptions.Web));
    }

    private sealed record Carrier(TagFilter? Filter);
}
