using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Rag.Embedding.Tests.RealModels;

/// <summary>The real models find passages by meaning: each query shares no word with the passage it must rank first.</summary>
public sealed partial class ParaphraseRetrievalTests
{
    private static readonly (string Passage, string Query)[] Pairs =
    [
        ("PostgreSQL writes every change to the write-ahead log before modifying data files, so a crash can be recovered.",
            "how do databases survive sudden power loss"),
        ("Our office is closed on public holidays; employees receive twenty-five vacation days per year.",
            "how much paid leave do workers get annually"),
        ("Preheat the oven to 200 degrees and bake the bread for forty minutes until golden.",
            "what heat setting when making loaves"),
        ("The train to Berlin leaves platform four at 8:15 every morning.",
            "when does my rail journey toward Germany's capital depart"),
        ("Regular exercise strengthens the heart and lowers blood pressure.",
            "why is physical activity good for cardiovascular health"),
    ];

    public static TheoryData<string> Models => HfReferenceTests.Models;

    [Fact]
    public void Queries_share_no_word_with_their_passage()
    {
        foreach (var (passage, query) in Pairs)
        {
            Assert.Empty(Words(passage).Intersect(Words(query)));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Paraphrased_query_ranks_its_passage_first(string model)
    {
        using var generator = PackagedModelFolders.Open(model);
        var passages = await generator.GenerateAsync(Pairs.Select(p => p.Passage));
        var queryOptions = new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingInputTypes.Property] = "query" } };
        var queries = await generator.GenerateAsync(Pairs.Select(p => p.Query), queryOptions);
        for (var q = 0; q < Pairs.Length; q++)
        {
            var scores = passages.Select(p => TensorPrimitives.CosineSimilarity(queries[q].Vector.Span, p.Vector.Span)).ToList();
            Assert.True(scores.IndexOf(scores.Max()) == q, $"'{Pairs[q].Query}' ranked another passage first: {string.Join(", ", scores.Select(s => s.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
    }

    private static HashSet<string> Words(string text) => [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value)];

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex WordPattern();
}
