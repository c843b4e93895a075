namespace Rag.Retrieval.Tests.Support;

/// <summary>A test class whose every test gets its own migrated database with vectors of <c>dimension</c>.</summary>
public abstract class DatabaseTest(int dimension) : IAsyncLifetime
{
    protected RetrievalDatabase Database { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Database = await RetrievalDatabase.CreateAsync(dimension);

    public virtual async Task DisposeAsync() => await Database.DisposeAsync();
}
