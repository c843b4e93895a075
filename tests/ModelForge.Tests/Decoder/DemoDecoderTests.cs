using Microsoft.ML.Tokenizers;
using Rag.ModelForge.Decoder;
using Rag.ModelForge.Reference;
using Rag.ModelForge.Tests.Tokenizer;
using Rag.ModelForge.Tokenizer;
using Rag.TestSupport;
using Xunit.Abstractions;

namespace Rag.ModelForge.Tests.Decoder;

/// <summary>
/// The decoder <c>./run.sh</c> forges for the offline demo (<c>decoder --preset demo --layout optimum --seed 1</c>),
/// generated from greedily in ONNX Runtime on grounded ChatML prompts as the service builds them: the answers must
/// be visible words that end on their own, not the 256 newlines an untrained tied head produced.
/// </summary>
public sealed class DemoDecoderTests(ITestOutputHelper output)
{
    private const int MaxNewTokens = 256;
    private static readonly DecoderOptions Demo = new(Presets.Demo, Seed: 1, Layout: DecoderLayout.Optimum);

    public static TheoryData<string, string> Questions => new()
    {
        { "Where does the cat like to sit?", "Cats like to sit on warm mats near the window. They sleep most of the afternoon." },
        { "How many days of leave do I get?", "Everyone gets 25 days of paid leave a year, plus public holidays." },
        { "What is write-ahead logging?", "PostgreSQL writes every change to the write-ahead log before it changes the data files, so a crash can be replayed." },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public void Greedy_answers_are_visible_words_that_end_before_the_answer_limit(string question, string passage)
    {
        var folder = ForgedModels.Decoder(Demo);
        var (tokenizer, weights) = DecoderForge.Create(Demo);
        var text = BpeFilesTests.Load(folder);
        var endOfTurn = tokenizer.SpecialId(BpeModel.ImEnd);
        var prompt = ChatMl(text, tokenizer,
            ("system", "You answer questions using only the numbered sources provided. Cite every fact with the number of its source in square brackets, like [1]."),
            ("user", $"Sources:\n[1] notes.txt\n{passage}\n\nQuestion: {question}"));

        using var stepper = new DecoderStepper(folder, weights.Config, Demo);
        var logits = stepper.Step([.. prompt], prompt.Count);
        var vocab = weights.Config.VocabSize;
        var next = DecoderReference.ArgMax(logits.AsSpan((prompt.Count - 1) * vocab, vocab));
        var answer = new List<int>();
        while (next != endOfTurn && answer.Count < MaxNewTokens)
        {
            answer.Add(next);
            next = DecoderReference.ArgMax(stepper.Step([next], prompt.Count + answer.Count));
        }
        var decoded = text.Decode(answer);
        output.WriteLine($"{answer.Count} tokens: {decoded}");

        Assert.Equal(endOfTurn, next);
        Assert.InRange(answer.Count, 8, MaxNewTokens - 1);
        Assert.DoesNotContain('\n', decoded);
        // Mostly words: at least half of the space-separated pieces carry letters.
        var pieces = decoded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(pieces.Count(p => p.Any(char.IsLetter)) * 2 >= pieces.Length, decoded);
        Assert.True(pieces.Length >= 5, decoded);
    }

    /// <summary>A tied, unbiased head is what made the old demo repeat the prompt's last token ("\n") to the limit.</summary>
    [Fact]
    public void Demo_preset_has_an_untied_head_with_a_bias_only_the_demo_gets()
    {
        var (_, demo) = DecoderForge.Create(Demo);
        var (_, tiny) = DecoderForge.Create(new DecoderOptions());

        Assert.NotNull(demo.LmHead);
        Assert.Equal(demo.Config.VocabSize, demo.LmHeadBias!.Length);
        Assert.Null(tiny.LmHeadBias);
    }


    private static List<int> ChatMl(CodeGenTokenizer text, BpeModel tokenizer, params (string Role, string Content)[] messages)
    {
        var start = tokenizer.SpecialId(BpeModel.ImStart);
        var end = tokenizer.SpecialId(BpeModel.ImEnd);
        var ids = new List<int>();
        foreach (var (role, content) in messages)
        {
            ids.Add(start);
            ids.AddRange(text.EncodeToIds($"{role}\n{content}"));
            ids.Add(end);
            ids.AddRange(text.EncodeToIds("\n"));
        }
        ids.Add(start);
        ids.AddRange(text.EncodeToIds("assistant\n"));
        return ids;
    }
}
