using System.Globalization;
using Rag.Eval.Client;

namespace Rag.Eval;

/// <summary>Whether answers are scored: <c>auto</c> scores them unless the service says its models are demo ones (whose text is noise).</summary>
public enum AnswerChoice
{
    Auto,
    On,
    Off,
}

/// <summary>The command line of <c>rag eval</c>.</summary>
public sealed record EvalArguments
{
    public const string Usage = """
        usage: dotnet run --project tools/Eval -- --url URL --collection NAME --golden FILE.jsonl
                 [--key KEY (or RAG_API_KEY)] [--modes vector,hybrid,reranked] [--top-k 20]
                 [--answers auto|on|off] [--answer-mode vector|hybrid|reranked] [--answer-max-tokens 128]
                 [--json OUT.json] [--timeout-seconds 300]
        Searches every golden question in each mode (reranked only when the service has a reranker) and prints hit@1,
        hit@5 and MRR@10 per mode, stage latencies (p50/p95) and, when answers are scored, citation and fact metrics.
        """;

    public required Uri Url { get; init; }

    public required string Collection { get; init; }

    public required string GoldenPath { get; init; }

    public string? Key { get; init; }

    /// <summary>Modes asked for; null means every mode the service supports.</summary>
    public IReadOnlyList<RetrievalMode>? Modes { get; init; }

    public int TopK { get; init; } = 20;

    public AnswerChoice Answers { get; init; } = AnswerChoice.Auto;

    public RetrievalMode? AnswerMode { get; init; }

    public int AnswerMaxTokens { get; init; } = 128;

    public string? JsonPath { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Parses <paramref name="args"/>; a bad or missing option throws <see cref="ArgumentException"/> naming it.</summary>
    public static EvalArguments Parse(IReadOnlyList<string> args, string? environmentKey)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 == args.Count)
            {
                throw new ArgumentException($"'{args[i]}' is not an option with a value.");
            }
            if (!values.TryAdd(args[i][2..], args[++i]))
            {
                throw new ArgumentException($"'{args[i - 1]}' is given twice.");
            }
        }
        string Required(string name) => values.Remove(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");
        string? Optional(string name) => values.Remove(name, out var value) ? value : null;
        var url = Required("url");
        var parsed = new EvalArguments
        {
            Url = Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri : throw new ArgumentException($"--url '{url}' is not an http(s) URL."),
            Collection = Required("collection"),
            GoldenPath = Required("golden"),
            Key = Optional("key") ?? environmentKey,
            Modes = Optional("modes") is { } modes ? [.. modes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => Mode(m, "--modes"))] : null,
            TopK = Optional("top-k") is { } topK ? Int(topK, "--top-k", 1, 100) : 20,
            Answers = Optional("answers") is { } answers
                ? Enum.TryParse<AnswerChoice>(answers, ignoreCase: true, out var choice) && !int.TryParse(answers, out _) ? choice
                    : throw new ArgumentException($"--answers '{answers}' must be auto, on or off.")
                : AnswerChoice.Auto,
            AnswerMode = Optional("answer-mode") is { } answerMode ? Mode(answerMode, "--answer-mode") : null,
            AnswerMaxTokens = Optional("answer-max-tokens") is { } maxTokens ? Int(maxTokens, "--answer-max-tokens", 1, 4096) : 128,
            JsonPath = Optional("json"),
            Timeout = Optional("timeout-seconds") is { } timeout ? TimeSpan.FromSeconds(Int(timeout, "--timeout-seconds", 1, 86_400)) : TimeSpan.FromMinutes(5),
        };
        if (parsed.Modes is { Count: 0 })
        {
            throw new ArgumentException("--modes names no mode.");
        }
        return values.Count == 0 ? parsed : throw new ArgumentException($"unknown option --{values.Keys.First()}.");
    }

    private static RetrievalMode Mode(string value, string option) =>
        Enum.TryParse<RetrievalMode>(value, ignoreCase: true, out var mode) && !int.TryParse(value, out _)
            ? mode : throw new ArgumentException($"{option}: '{value}' is not vector, hybrid or reranked.");

    private static int Int(string value, string option, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n : throw new ArgumentException($"{option} must be a whole number from {min} to {max}.");
}
