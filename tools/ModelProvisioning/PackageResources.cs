using System.Reflection;
using System.Runtime.Loader;

namespace Rag.ModelProvisioning;

/// <summary>
/// The manifest resources of a packaged model's assembly, located through the package path recorded at build time
/// (this project's <c>AssemblyMetadata</c>). The assembly is loaded into a collectible context for its resources
/// only: none of its code runs and its dependencies are never resolved.
/// </summary>
internal sealed class PackageResources : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Assembly _assembly;
    private readonly string _prefix;

    public PackageResources(string package)
    {
        var path = typeof(PackageResources).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == package)?.Value
            ?? throw new InvalidOperationException($"No package path was recorded for '{package}'.");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is missing: restore tools/ModelProvisioning (dotnet restore) to fetch the '{package}' package.", path);
        }
        _context = new AssemblyLoadContext(package, isCollectible: true);
        _assembly = _context.LoadFromAssemblyPath(path);
        _prefix = package + ".Resources.";
    }

    /// <summary>Copies resource <c>{Package}.Resources.{name}</c> to <paramref name="file"/>.</summary>
    public void CopyTo(string name, string file)
    {
        using var source = _assembly.GetManifestResourceStream(_prefix + name)
            ?? throw new InvalidDataException($"'{_assembly.Location}' has no resource '{_prefix + name}'.");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var target = File.Create(file);
        source.CopyTo(target);
    }

    public void Dispose() => _context.Unload();
}
