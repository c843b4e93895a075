namespace Rag.Api.Observability;

/// <summary>What start-up has finished, for <c>/health/ready</c>; set once by <see cref="Hosting.ServiceStartup"/>.</summary>
public sealed class Readiness
{
    private volatile bool migrationsApplied;
    private volatile bool modelsLoaded;

    public bool MigrationsApplied => migrationsApplied;

    public bool ModelsLoaded => modelsLoaded;

    public void MarkMigrationsApplied() => migrationsApplied = true;

    public void MarkModelsLoaded() => modelsLoaded = true;
}
