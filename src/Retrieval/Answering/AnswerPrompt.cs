using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Search;

namespace Rag.Retrieval.Answering;

/// <summary>
/// The grounded prompt: instructions, then numbered sources in rank order for as long as they fit
/// the LLM's context window (counted with its tokenizer, leaving room for the answer), then the question.
/// </summary>
public static class AnswerPrompt
{
    public const string Instructions =
        "You answer questions using only the numbered sources provided. " +
        "Cite every fact with the number of its source in square brackets, like [1] or [2][3]. " +
        "If the sources do not contain the answer, say that the sources do not contain it; do not use outside knowledge or guess.";

    /// <summary>Tokens a chat template adds around messages (role markers, separators); a safe allowance.</summary>
    private const int TemplateAllowance = 32;

    public static (IReadOnlyList<ChatMessage> Messages, IReadOnlyList<AnswerSource> Sources) Build(
        string question, IReadOnlyList<SearchHit> hits, Tokenizer tokenizer, int contextTokens, int answerTokens)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var questionPart = $"Question: {question}";
        var remaining = contextTokens - answerTokens - TemplateAllowance
            - tokenizer.CountTokens(Instructions) - tokenizer.CountTokens("Sources:\n\n" + questionPart);
        var sourcesText = new StringBuilder();
        var sources = new List<AnswerSource>(hits.Count);
        var number = 0;
        foreach (var hit in hits)
        {
            var block = SourceBlock(number + 1, hit);
            var cost = tokenizer.CountTokens(block);
            if (cost > remaining)
            {
                sources.Add(new AnswerSource(null, hit));
                continue;
            }
            remaining -= cost;
            number++;
            sourcesText.Append(block);
            sources.Add(new AnswerSource(number, hit));
        }
        ChatMessage[] messages =
        [
            new(ChatRole.System, Instructions),
            new(ChatRole.User, $"Sources:\n{sourcesText}\n{questionPart}"),
        ];
        return (messages, sources);
    }

    private static string SourceBlock(int number, SearchHit hit)
    {
        var header = new StringBuilder().Append('[').Append(number.ToString(CultureInfo.InvariantCulture)).Append("] ").Append(hit.DocumentName);
        if (hit.SectionPath.Count > 0)
        {
            header.Append(" — ").AppendJoin(" > ", hit.SectionPath);
        }
        if (hit.Page is int page)
        {
            header.Append(", page ").Append(page.ToString(CultureInfo.InvariantCulture));
        }
        return header.Append('\n').Append(hit.Text.Trim()).Append("\n\n").ToString();
    }
}
