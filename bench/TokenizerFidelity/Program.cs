using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using Rag.Embedding;
using Rag.Embedding.Reference;
using Rag.ModelProvisioning;
using Rag.Tokenizers;
using Rag.TokenizerFidelity.Bench;

// Cosine between sentence-transformers' vectors (Hugging Face's tokenizers + ONNX Runtime + pooling) and ours over
// real manual chunks: "after" is the service's path (vocab.txt through HfTokenizer), "before" the removed one
// (Microsoft.ML.Tokenizers' BertTokenizer over vocab.txt, as the old WordPieceEmbeddingTokenizer built it).
// Usage: TokenizerFidelity.Bench [--model NAME] [--docs DIR] [--chunks N]
var model = PackagedModel.MiniLm;
var docs = "/usr/share/doc/postgresql-doc-15/html";
var wanted = 300;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--model": model = PackagedModel.Find(args[i + 1]) ?? throw new ArgumentException($"Unknown model '{args[i + 1]}'."); break;
        case "--docs": docs = args[i + 1]; break;
        case "--chunks": wanted = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"Unknown option '{args[i]}'.");
    }
}

var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "Rag.slnx")))
{
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run from inside the checkout.");
}
var folder = SentenceTransformerFolder.Provision(model, Path.Combine(root, ".data", "models"));
var all = ManualChunks.Read(docs, 1200);
var step = Math.Max(1, all.Count / wanted);
var chunks = all.Where((_, i) => i % step == 0).Take(wanted).ToList();

using var reference = new HfReference(folder, model.MaxSequenceLength, model.ClsPooling);
using var generator = OnnxEmbeddingGenerator.Load(new EmbeddingOptions { ModelPath = folder });
var tokenizer = HfTokenizer.Load(folder);
var before = BertTokenizer.Create(Path.Combine(folder, "vocab.txt"), new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true, IndividuallyTokenizeCjk = true });
var ours = await generator.GenerateAsync(chunks);

var afterCos = new List<double>();
var beforeCos = new List<double>();
var identicalAfter = 0;
var identicalBefore = 0;
for (var i = 0; i < chunks.Count; i++)
{
    var ids = reference.Ids(chunks[i]);
    var expected = reference.Embed(ids);
    afterCos.Add(TensorPrimitives.CosineSimilarity(expected, ours[i].Vector.Span));
    var (mine, _) = tokenizer.EncodeIds(chunks[i], addSpecialTokens: true, maxTokens: model.MaxSequenceLength);
    identicalAfter += mine.Select(t => (long)t).SequenceEqual(ids) ? 1 : 0;
    var content = before.EncodeToIds(chunks[i], addSpecialTokens: false);
    long[] old = [101, .. content.Take(model.MaxSequenceLength - 2).Select(t => (long)t), 102];
    identicalBefore += old.SequenceEqual(ids) ? 1 : 0;
    beforeCos.Add(TensorPrimitives.CosineSimilarity(expected, reference.Embed(old)));
}

Console.WriteLine(JsonSerializer.Serialize(new
{
    model = model.HubName,
    docs,
    chunks = chunks.Count,
    before = Summary(beforeCos, identicalBefore),
    after = Summary(afterCos, identicalAfter),
}, new JsonSerializerOptions { WriteIndented = true }));

static object Summary(List<double> cos, int identicalIds)
{
    var sorted = cos.Order().ToArray();
    return new
    {
        median = Math.Round(sorted[sorted.Length / 2], 6),
        p10 = Math.Round(sorted[sorted.Length / 10], 6),
        min = Math.Round(sorted[0], 6),
        below_0_9999 = sorted.Count(c => c < 0.9999),
        identical_ids = identicalIds,
    };
}

