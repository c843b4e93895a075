using System.Globalization;

namespace Rag.Retrieval.Bench;

internal sealed record BenchArguments(string Connection, string? Model, int Chunks, int ChunkWords, int Vectors, int Queries, int ExactQueries)
{
    public static BenchArguments Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }
        int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        var port = Environment.GetEnvironmentVariable("RAG_PG_PORT") ?? "5433";
        var connection = Value("--connection") ?? $"Host=127.0.0.1;Port={port};Database=rag;Username=rag;Password=rag";
        return new BenchArguments(connection, Value("--model"), Number("--chunks", 10_000), Number("--chunk-words", 40),
            Number("--vectors", 100_000), Number("--queries", 200), Number("--exact-queries", 30));
    }
}
