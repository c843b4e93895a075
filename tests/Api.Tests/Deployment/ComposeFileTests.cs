using System.Text.RegularExpressions;
using Rag.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Rag.Api.Tests.Deployment;

/// <summary>Docker does not run here, so compose.yaml and the Dockerfile are checked as documents.</summary>
public sealed partial class ComposeFileTests
{
    private static readonly YamlMappingNode Root = Load();

    private static YamlMappingNode Services => (YamlMappingNode)Root["services"];

    [Fact]
    public void Database_is_pgvector_on_postgres_17_with_a_health_check_and_a_data_volume()
    {
        var db = (YamlMappingNode)Services["db"];
        Assert.Equal("pgvector/pgvector:pg17", Scalar(db["image"]));
        var test = string.Join(' ', Sequence(((YamlMappingNode)db["healthcheck"])["test"]));
        Assert.Contains("pg_isready", test, StringComparison.Ordinal);
        var volume = Assert.Single(Sequence(db["volumes"]));
        var name = volume.Split(':')[0];
        Assert.True(((YamlMappingNode)Root["volumes"]).Children.ContainsKey(name), $"volume '{name}' is not declared");
    }

    [Fact]
    public void Api_carries_the_configuration_contract_and_points_it_at_the_db_service_and_the_models_volume()
    {
        var api = (YamlMappingNode)Services["api"];
        var environment = ((YamlMappingNode)api["environment"]).Children.ToDictionary(e => Scalar(e.Key), e => Scalar(e.Value));
        foreach (var key in new[] { "ConnectionStrings__Postgres", "Llm__ModelPath", "Embedding__ModelPath", "Llm__ExecutionProvider" })
        {
            Assert.True(environment.ContainsKey(key), $"api lacks {key}");
        }
        Assert.Contains("Host=db;", environment["ConnectionStrings__Postgres"], StringComparison.Ordinal);

        var mountTargets = ((YamlSequenceNode)api["volumes"]).Children.Cast<YamlMappingNode>().Select(v => Scalar(v["target"])).ToList();
        Assert.Contains(mountTargets, t => environment["Llm__ModelPath"].StartsWith(t + "/", StringComparison.Ordinal));
        Assert.Contains(mountTargets, t => environment["Embedding__ModelPath"].StartsWith(t + "/", StringComparison.Ordinal));

        var dependsOn = (YamlMappingNode)((YamlMappingNode)api["depends_on"])["db"];
        Assert.Equal("service_healthy", Scalar(dependsOn["condition"]));
    }

    [Fact]
    public void Api_publishes_port_8080_listens_on_it_and_is_health_checked_on_readiness()
    {
        var api = (YamlMappingNode)Services["api"];
        Assert.Contains(Sequence(api["ports"]), p => p.EndsWith(":8080", StringComparison.Ordinal));
        var environment = (YamlMappingNode)api["environment"];
        Assert.EndsWith(":8080", Scalar(environment["Urls"]), StringComparison.Ordinal);
        var test = string.Join(' ', Sequence(((YamlMappingNode)api["healthcheck"])["test"]));
        Assert.Contains("http://localhost:8080/health/ready", test, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_image_is_a_multi_stage_build_whose_copied_paths_exist()
    {
        var build = (YamlMappingNode)((YamlMappingNode)Services["api"])["build"];
        var context = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, Scalar(build["context"])));
        var dockerfile = File.ReadAllText(Path.Combine(context, Scalar(build["dockerfile"])));

        Assert.True(FromLine().Count(dockerfile) >= 2, "the Dockerfile should build in one stage and run in another");
        foreach (Match copy in CopyLine().Matches(dockerfile))
        {
            foreach (var source in copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(File.Exists(Path.Combine(context, source)) || Directory.Exists(Path.Combine(context, source)), $"COPY source '{source}' does not exist");
            }
        }
    }

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, "compose.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static List<string> Sequence(YamlNode node) => ((YamlSequenceNode)node).Children.Select(Scalar).ToList();

    [GeneratedRegex(@"^FROM\s", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    // COPY lines that copy from the build context (not --from=stage); the last word is the destination.
    [GeneratedRegex(@"^COPY\s+(?!--from)(?<sources>.+?)\s+\S+\s*$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();
}
