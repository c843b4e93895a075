using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rag.Api.Tests.Infrastructure;
using Rag.Embedding;
using Rag.Retrieval;

namespace Rag.Api.Tests.Operations;

/// <summary>A chunk size configured beyond what the embedding model reads.</summary>
public sealed class OversizedChunkServer : ApiServer
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Retrieval:ChunkMaxTokens"] = "30000";
        settings["Retrieval:ChunkOverlapTokens"] = "10";
    }
}

public sealed class ModelFittedOptionsTests(OversizedChunkServer server) : IClassFixture<OversizedChunkServer>
{
    [Fact]
    public void A_configured_chunk_size_is_capped_at_what_the_embedder_reads_beside_its_special_tokens()
    {
        var embedder = server.Services.GetRequiredService<OnnxEmbeddingGenerator>();

        var options = server.Services.GetRequiredService<IOptions<RetrievalOptions>>().Value;

        Assert.Equal(embedder.MaxSequenceLength - embedder.SpecialTokensPerText, options.ChunkMaxTokens);
        Assert.Equal(10, options.ChunkOverlapTokens);
    }
}
