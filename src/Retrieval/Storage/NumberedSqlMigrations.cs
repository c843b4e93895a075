using System.Reflection;
using System.Text.RegularExpressions;
using EvolveDb.Metadata;
using EvolveDb.Migration;

namespace Rag.Retrieval.Storage;

/// <summary>
/// Feeds Evolve our <c>NNNN_description.sql</c> files, embedded in this assembly, instead of
/// Flyway-style <c>V1__x.sql</c> names. Everything else (ordering, checksums, locking) stays Evolve's.
/// </summary>
internal sealed partial class NumberedSqlMigrations : IMigrationLoader
{
    private const string ResourcePrefix = "migrations.";

    public IEnumerable<MigrationScript> GetMigrations()
    {
        var assembly = typeof(NumberedSqlMigrations).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var fileName = resource[ResourcePrefix.Length..];
            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                throw new MigrationException($"Migration file '{fileName}' is not named NNNN_description.sql.");
            }
            scripts.Add(new Script(match.Groups["version"].Value, match.Groups["description"].Value.Replace('_', ' '), fileName, Read(assembly, resource)));
        }
        return scripts.OrderBy(s => s.Version);
    }

    public IEnumerable<MigrationScript> GetRepeatableMigrations() => [];

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<description>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileName();

    private sealed class Script(string version, string description, string name, string content)
        : MigrationScript(version, description, name, content, MetadataType.Migration);
}
