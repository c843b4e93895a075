using Microsoft.Extensions.AI;
using Rag.Embedding;

namespace Rag.Api.Hosting;

/// <summary>Prepends the configured query or passage prefix (servers such as TEI embed texts as sent, while e5, bge and
/// arctic-embed expect their instruction on queries), bounds the wait on a remote embedding server and turns its
/// failures into <see cref="RemoteModelException"/>s (502/504).</summary>
internal sealed class RemoteEmbeddingGenerator(
    IEmbeddingGenerator<string, Embedding<float>> inner, RemoteModelOptions remote, string queryPrefix, string passagePrefix)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly TimeSpan timeout = TimeSpan.FromSeconds(remote.TimeoutSeconds);

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prefix = EmbeddingInputTypes.Of(options) == EmbeddingInputType.Query ? queryPrefix : passagePrefix;
        if (prefix.Length > 0)
        {
            values = values.Select(value => prefix + value);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await base.GenerateAsync(values, options, deadline.Token);
        }
        catch (Exception ex) when (RemoteModelException.From(ex, "Embedding", remote.Endpoint!, remote.TimeoutSeconds, cancellationToken) is { } fault)
        {
            throw fault;
        }
    }
}
