using Rag.Eval.Golden;

namespace Rag.Eval.Tests;

public sealed class GoldenSetTests
{
    private static IReadOnlyList<GoldenQuestion> Parse(string text) => GoldenSet.Parse(new StringReader(text));

    [Fact]
    public void Lines_become_questions_with_defaults_for_what_they_leave_out()
    {
        var questions = Parse("""
            # comment
            {"id": "wal", "question": "What is the WAL?", "expected": ["wal-intro.html"], "facts": ["write-ahead"], "tags": ["paraphrase"]}

            {"question": "How do I back up?", "expected": ["backup.html", "0190a4c2-0000-7000-8000-000000000001"]}
            """);

        Assert.Equal(2, questions.Count);
        Assert.Equal(("wal", "What is the WAL?"), (questions[0].Id, questions[0].Question));
        Assert.Equal(["write-ahead"], questions[0].Facts);
        Assert.Equal(["paraphrase"], questions[0].Tags);
        Assert.Equal("q2", questions[1].Id);
        Assert.Empty(questions[1].Facts);
        Assert.Equal(["backup.html", "0190a4c2-0000-7000-8000-000000000001"], questions[1].Expected);
    }

    [Theory]
    [InlineData("{\"question\": \"q\"}", "'expected'")]
    [InlineData("{\"question\": \"q\", \"expected\": []}", "'expected'")]
    [InlineData("{\"expected\": [\"a.html\"]}", "'question'")]
    [InlineData("{\"question\": \"q\", \"expected\": \"a.html\"}", "array")]
    [InlineData("{\"question\": \"q\", \"expected\": [\"a.html\", 3]}", "non-empty strings")]
    [InlineData("{\"question\": 7, \"expected\": [\"a.html\"]}", "'question'")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"question\": \"q\", \"expected\": [\"a.html\"]", "not valid JSON")]
    public void A_malformed_line_stops_the_run_naming_its_line(string badLine, string reason)
    {
        var error = Assert.Throws<GoldenSetException>(() => Parse("{\"question\": \"fine\", \"expected\": [\"a.html\"]}\n" + badLine));

        Assert.Equal(2, error.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_id_is_refused()
    {
        var error = Assert.Throws<GoldenSetException>(() => Parse("""
            {"id": "a", "question": "one", "expected": ["x"]}
            {"id": "a", "question": "two", "expected": ["y"]}
            """));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void An_empty_set_or_an_overlong_line_is_refused()
    {
        Assert.Throws<GoldenSetException>(() => Parse("# only a comment\n"));
        var longQuestion = new string('w', GoldenSet.MaxLineLength);
        Assert.Throws<GoldenSetException>(() => Parse($"{{\"question\": \"{longQuestion}\", \"expected\": [\"a\"]}}"));
    }

    [Fact]
    public void The_shipped_postgresql_manual_set_has_at_least_30_questions_with_paraphrases()
    {
        var questions = GoldenSet.Load(Path.Combine(TestSupport.RepositoryRoot.Path, "tools/Eval/golden/postgresql-manual.jsonl"));

        Assert.True(questions.Count >= 30, $"{questions.Count} questions");
        Assert.True(questions.Count(q => q.Tags.Contains("paraphrase")) >= 5);
        Assert.All(questions, q => Assert.All(q.Expected, name => Assert.EndsWith(".html", name, StringComparison.Ordinal)));
    }
}
