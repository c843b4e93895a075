using Rag.Eval.Client;

namespace Rag.Eval.Tests;

public sealed class EvalArgumentsTests
{
    private static readonly string[] Required = ["--url", "http://127.0.0.1:8080", "--collection", "pg", "--golden", "g.jsonl"];

    [Fact]
    public void Defaults_leave_modes_to_the_service_and_take_the_key_from_the_environment()
    {
        var parsed = EvalArguments.Parse(Required, environmentKey: "secret");

        Assert.Equal(new Uri("http://127.0.0.1:8080/"), parsed.Url);
        Assert.Null(parsed.Modes);
        Assert.Equal(("secret", 20, AnswerChoice.Auto), (parsed.Key, parsed.TopK, parsed.Answers));
    }

    [Fact]
    public void Options_are_read()
    {
        var parsed = EvalArguments.Parse(
            [.. Required, "--modes", "hybrid, reranked", "--top-k", "7", "--answers", "on", "--answer-mode", "vector", "--key", "k", "--json", "out.json"], "env");

        Assert.Equal([RetrievalMode.Hybrid, RetrievalMode.Reranked], parsed.Modes);
        Assert.Equal((7, AnswerChoice.On, RetrievalMode.Vector, "k", "out.json"), (parsed.TopK, parsed.Answers, parsed.AnswerMode, parsed.Key, parsed.JsonPath));
    }

    [Theory]
    [InlineData("--top-k", "0")]
    [InlineData("--top-k", "ten")]
    [InlineData("--modes", "semantic")]
    [InlineData("--modes", "1")]
    [InlineData("--answers", "maybe")]
    [InlineData("--url", "ftp://host")]
    [InlineData("--colour", "red")]
    public void A_bad_option_is_refused(string option, string value)
    {
        var args = Required.ToList();
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        Assert.Throws<ArgumentException>(() => EvalArguments.Parse(args, null));
    }

    [Fact]
    public async Task Bad_arguments_exit_with_2_and_print_the_usage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await EvalCommand.RunAsync(["--url", "http://127.0.0.1:1"], output, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("--collection is required", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage:", error.ToString(), StringComparison.Ordinal);
    }
}
