using System.Text.Json;

namespace Rag.Eval.Golden;

/// <summary>
/// Reads a golden set: JSON Lines, one object per question —
/// <c>{"id": "…", "question": "…", "expected": ["page.html", …], "facts": ["…"], "tags": ["paraphrase"]}</c>
/// (<c>id</c>, <c>facts</c> and <c>tags</c> optional; blank lines and lines starting with <c>#</c> skipped).
/// Any malformed line stops the run with its line number: a silently skipped question would shift every average.
/// </summary>
public static class GoldenSet
{
    public const int MaxQuestions = 10_000;

    public const int MaxLineLength = 16_384;

    public static IReadOnlyList<GoldenQuestion> Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader);
    }

    public static IReadOnlyList<GoldenQuestion> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var questions = new List<GoldenQuestion>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            if (line.Length > MaxLineLength)
            {
                throw new GoldenSetException(number, $"longer than {MaxLineLength} characters");
            }
            if (questions.Count == MaxQuestions)
            {
                throw new GoldenSetException(number, $"more than {MaxQuestions} questions");
            }
            var question = ParseLine(line, number, questions.Count + 1);
            if (!ids.Add(question.Id))
            {
                throw new GoldenSetException(number, $"id '{question.Id}' appears twice");
            }
            questions.Add(question);
        }
        return questions.Count > 0 ? questions : throw new GoldenSetException(number, "the golden set holds no question");
    }

    private static GoldenQuestion ParseLine(string line, int number, int ordinal)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 8 });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new GoldenSetException(number, $"not valid JSON ({e.Message})");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new GoldenSetException(number, "not a JSON object");
        }
        var question = Text(root, "question", number) ?? throw new GoldenSetException(number, "'question' is missing");
        var expected = Strings(root, "expected", number);
        if (expected.Count == 0)
        {
            throw new GoldenSetException(number, "'expected' must list at least one document name or id");
        }
        return new GoldenQuestion(Text(root, "id", number) ?? $"q{ordinal}", question, expected, Strings(root, "facts", number))
        {
            Tags = Strings(root, "tags", number),
        };
    }

    private static string? Text(JsonElement root, string name, int number) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString()
        : throw new GoldenSetException(number, $"'{name}' must be a non-empty string");

    private static List<string> Strings(JsonElement root, string name, int number)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new GoldenSetException(number, $"'{name}' must be an array of strings");
        }
        var strings = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            strings.Add(item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString())
                ? item.GetString()!
                : throw new GoldenSetException(number, $"'{name}' must hold non-empty strings only"));
        }
        return strings;
    }
}
