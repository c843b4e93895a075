using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Rag.Embedding;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Extraction;
using Rag.Retrieval.Ingestion;

namespace Rag.Retrieval.Bench;

/// <summary>
/// End-to-end ingestion (extract, chunk, embed, COPY) of documents whose paragraphs each become one
/// chunk, with the time spent inside the embedding generator separated from everything else.
/// </summary>
internal static class IngestBench
{
    private const int ChunksPerDocument = 100;

    public static async Task<object> RunAsync(BenchArguments arguments, OnnxEmbeddingGenerator generator, string adminConnection)
    {
        await using var database = await BenchDatabase.CreateAsync(adminConnection, generator.Dimension);
        // Room for one paragraph but not two, so each paragraph is one chunk.
        var chunkTokens = Math.Min(generator.MaxSequenceLength - generator.SpecialTokensPerText, arguments.ChunkWords * 3 / 2);
        var settings = new RetrievalOptions { ChunkMaxTokens = chunkTokens, ChunkOverlapTokens = 0, EmbeddingBatchSize = 256 };
        var embedder = new Embedder(generator, settings.EmbeddingBatchSize);
        var store = new Storage.DocumentStore(database.DataSource);
        var pipeline = new IngestionPipeline(new Chunker(generator.Tokenizer, settings.ChunkMaxTokens, settings.ChunkOverlapTokens), embedder, store, Options.Create(settings), Options.Create(new ExtractionOptions()));

        var words = File.ReadLines(Path.Combine(((EmbeddingModel)generator.GetService(typeof(EmbeddingModel))!).Folder.Path, "vocab.txt"))
            .Where(w => w.Length >= 3 && w.All(char.IsAsciiLetterLower)).ToArray();
        var random = new Random(42);
        var documents = Enumerable.Range(0, arguments.Chunks / ChunksPerDocument).Select(d => Document(d, words, arguments.ChunkWords, random)).ToArray();

        // Warm-up: the first session runs pay for ONNX Runtime's allocations, not for ingestion.
        await generator.GenerateAsync(documents[0].Text.Split("\n\n").Take(64));

        var embed = TimeSpan.Zero;
        var extractAndChunk = TimeSpan.Zero;
        var storeTime = TimeSpan.Zero;
        var chunks = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var (name, text) in documents)
        {
            var result = await pipeline.IngestAsync(new IngestRequest(name, Encoding.UTF8.GetBytes(text)));
            embed += result.Timings.Embed;
            extractAndChunk += result.Timings.Extract + result.Timings.Chunk;
            storeTime += result.Timings.Store;
            chunks += result.Document.ChunkCount;
        }
        var total = Stopwatch.GetElapsedTime(started);
        return new
        {
            documents = documents.Length,
            chunks,
            chunk_tokens_max = settings.ChunkMaxTokens,
            seconds = total.TotalSeconds,
            chunks_per_second = chunks / total.TotalSeconds,
            embed_seconds = embed.TotalSeconds,
            extract_and_chunk_seconds = extractAndChunk.TotalSeconds,
            store_seconds = storeTime.TotalSeconds,
            share_outside_embedding = (total - embed) / total,
        };
    }

    private static (string Name, string Text) Document(int index, string[] words, int wordsPerChunk, Random random)
    {
        var text = new StringBuilder();
        for (var p = 0; p < ChunksPerDocument; p++)
        {
            for (var w = 0; w < wordsPerChunk; w++)
            {
                text.Append(words[random.Next(words.Length)]).Append(w == wordsPerChunk - 1 ? ".\n\n" : " ");
            }
        }
        return ($"doc{index}.txt", text.ToString());
    }
}
