using Rag.Retrieval.Chunking;
using Rag.Retrieval.Storage;

namespace Rag.Retrieval.Tests.Support;

/// <summary>Stores documents whose chunks carry embeddings chosen by the test, through the real DocumentStore.</summary>
public sealed class VectorSeeder(DocumentStore store, int dimension)
{
    public EmbeddingModelInfo Model { get; } = new("explicit-vectors", dimension);

    public Task<CollectionInfo> CollectionAsync(string name) => store.GetOrCreateCollectionAsync(name, Model);

    public async Task<StoredDocument> AddAsync(CollectionInfo collection, string name, IReadOnlyList<(string Text, float[] Vector)> chunks, IReadOnlyDictionary<string, string>? tags = null)
    {
        var offset = 0;
        var rows = new List<Chunk>();
        foreach (var (text, _) in chunks)
        {
            rows.Add(new Chunk(rows.Count, text, offset, offset + text.Length, text.Length / 4 + 1, ["Section"], null));
            offset += text.Length + 2;
        }
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name + string.Join('\n', chunks.Select(c => c.Text))));
        var document = new NewDocument(name, "text/plain", hash, null, tags ?? new Dictionary<string, string>());
        var result = await store.StoreAsync(collection.Name, Model, document, rows, chunks.Select(c => (ReadOnlyMemory<float>)c.Vector).ToAsyncEnumerable());
        return result.Document;
    }

    /// <summary>A unit vector along <paramref name="axis"/>, nudged by <paramref name="noise"/> elsewhere.</summary>
    public float[] Near(int axis, float noise = 0.05f, int seed = 0)
    {
        var random = new Random(seed);
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            vector[i] = (float)(random.NextDouble() * noise);
        }
        vector[axis] = 1;
        return vector;
    }

    public float[] Random(Random random, float bias = 0, int biasAxis = 0)
    {
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }
        vector[biasAxis] += bias;
        return vector;
    }
}
