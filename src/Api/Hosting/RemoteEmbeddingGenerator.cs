using Microsoft.Extensions.AI;

namespace Rag.Api.Hosting;

/// <summary>Bounds the wait on a remote embedding server and turns its failures into <see cref="RemoteModelException"/>s (502/504).</summary>
internal sealed class RemoteEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, RemoteModelOptions remote)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly TimeSpan timeout = TimeSpan.FromSeconds(remote.TimeoutSeconds);

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
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
