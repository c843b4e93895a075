namespace Rag.TestSupport;

public static class RepositoryRoot
{
    /// <summary>The checkout's root: the nearest ancestor of the test binaries holding <c>Rag.slnx</c>.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Rag.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Rag.slnx above {AppContext.BaseDirectory}.");
    }
}
