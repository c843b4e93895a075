using System.Text.Json;
using Rag.Eval.Client;
using Rag.Eval.Golden;
using Rag.Eval.Report;

namespace Rag.Eval;

/// <summary><c>rag eval</c>: exit code 0 when the run completed, 1 when the target or the golden set failed it, 2 for bad arguments.</summary>
public static class EvalCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        EvalArguments arguments;
        try
        {
            arguments = EvalArguments.Parse(args, Environment.GetEnvironmentVariable("RAG_API_KEY"));
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"{e.Message}\n{EvalArguments.Usage}");
            return 2;
        }
        try
        {
            var golden = GoldenSet.Load(arguments.GoldenPath);
            using var http = RagClient.CreateHttp(arguments.Url, arguments.Key, arguments.Timeout);
            var client = new RagClient(http, arguments.Collection);
            var models = await client.GetModelsAsync(cancellationToken);
            var settings = Settings(arguments, models);
            var target = new EvalTarget(arguments.Url.ToString(), arguments.Collection, arguments.GoldenPath, models);
            var progress = new ProgressLines(error);
            var report = await new Evaluator(client).RunAsync(target, golden, settings, progress, cancellationToken);
            ReportTable.Write(report, output);
            if (arguments.JsonPath is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, RagJson.Options), cancellationToken);
            }
            return 0;
        }
        catch (Exception e) when (e is GoldenSetException or EvalTargetException or IOException or HttpRequestException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"eval failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>Reranked mode needs the service's reranker: asked for without one it is an error, by default it is left out.</summary>
    private static EvalSettings Settings(EvalArguments arguments, ServedModels models)
    {
        var hasReranker = models.Reranker is not null;
        var modes = arguments.Modes
            ?? (hasReranker ? [RetrievalMode.Vector, RetrievalMode.Hybrid, RetrievalMode.Reranked] : [RetrievalMode.Vector, RetrievalMode.Hybrid]);
        if (!hasReranker && (modes.Contains(RetrievalMode.Reranked) || arguments.AnswerMode == RetrievalMode.Reranked))
        {
            throw new EvalTargetException("reranked mode was asked for, but the service has no reranker (Reranker:ModelPath).");
        }
        var scoreAnswers = arguments.Answers == AnswerChoice.On || (arguments.Answers == AnswerChoice.Auto && models.Llm is not null && !models.Demo);
        return new EvalSettings
        {
            Modes = modes,
            TopK = arguments.TopK,
            AnswerMode = scoreAnswers ? arguments.AnswerMode ?? modes[^1] : null,
            AnswerMaxTokens = arguments.AnswerMaxTokens,
        };
    }

    /// <summary>
    /// Writes each progress line as it is reported. <see cref="Progress{T}"/> would post it to the thread pool, where it
    /// could arrive out of order or after the run returned and its writer was closed.
    /// </summary>
    private sealed class ProgressLines(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"[eval] {value}");
    }
}
