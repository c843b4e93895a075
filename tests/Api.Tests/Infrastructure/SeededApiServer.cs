namespace Rag.Api.Tests.Infrastructure;

/// <summary>The service with the three <see cref="Corpus"/> documents in collection <see cref="Collection"/>.</summary>
public sealed class SeededApiServer : ApiServer
{
    public const string Collection = "seeded";

    protected override Task SeedAsync() => Corpus.SeedAsync(Client, Collection);
}
