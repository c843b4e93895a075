using Rag.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Rag.Api.Tests.Remote;

/// <summary>
/// compose.yaml's <c>scale</c> profile, checked as a document (Docker does not run here): replicas behind the load
/// balancer on remote models, workers on the same queue, the default services left alone.
/// </summary>
public sealed class ScaleOutComposeTests
{
    private static readonly YamlMappingNode Services = (YamlMappingNode)Load()["services"];

    [Fact]
    public void The_default_services_stay_out_of_the_scale_profile_and_everything_added_is_in_it()
    {
        Assert.False(Service("db").Children.ContainsKey("profiles"));
        Assert.False(Service("api").Children.ContainsKey("profiles"));
        foreach (var name in new[] { "api-replica", "ingest-worker", "lb", "llm", "embedding" })
        {
            Assert.Equal(["scale"], ((YamlSequenceNode)Service(name)["profiles"]).Children.Select(n => n.ToString()));
        }
    }

    [Fact]
    public void Replicas_and_workers_share_one_database_and_use_the_model_servers_through_their_endpoints()
    {
        foreach (var name in new[] { "api-replica", "ingest-worker" })
        {
            var service = Service(name);
            Assert.True(int.Parse(((YamlMappingNode)service["deploy"])["replicas"].ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 2);
            var environment = (YamlMappingNode)service["environment"];
            Assert.Contains("Host=db;", environment["ConnectionStrings__Postgres"].ToString(), StringComparison.Ordinal);
            Assert.False(environment.Children.ContainsKey("Llm__ModelPath"), $"{name} should not load a local LLM");
            AssertPointsAt(environment["Llm__Endpoint"].ToString(), "llm");
            AssertPointsAt(environment["Embedding__Endpoint"].ToString(), "embedding");
            Assert.False(string.IsNullOrWhiteSpace(environment["Llm__Model"].ToString()));
            Assert.False(string.IsNullOrWhiteSpace(environment["Embedding__Model"].ToString()));
            Assert.True(((YamlMappingNode)service["depends_on"]).Children.ContainsKey("db"));
        }
    }

    [Fact]
    public void The_replicas_ask_the_embedding_server_for_the_model_it_serves_with_that_models_query_instruction()
    {
        var environment = (YamlMappingNode)Service("api-replica")["environment"];
        var served = ((YamlSequenceNode)Service("embedding")["command"]).Children.Select(n => n.ToString()).ToList();
        Assert.Equal(environment["Embedding__Model"].ToString(), served[served.IndexOf("--model-id") + 1]);
        Assert.Contains("snowflake-arctic-embed-xs", served[served.IndexOf("--model-id") + 1], StringComparison.Ordinal);
        Assert.EndsWith("Represent this sentence for searching relevant passages: }", environment["Embedding__QueryPrefix"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_load_balancer_spreads_requests_over_the_replicas_without_buffering_streams()
    {
        var lb = Service("lb");
        Assert.Contains("api-replica", ((YamlSequenceNode)lb["depends_on"]).Children.Select(n => n.ToString()));
        var source = ((YamlMappingNode)((YamlSequenceNode)lb["configs"]).Children[0])["source"].ToString();
        var config = ((YamlMappingNode)((YamlMappingNode)Load()["configs"])[source])["content"].ToString();
        Assert.Contains("server api-replica:8080", config, StringComparison.Ordinal);
        Assert.Contains("proxy_buffering off", config, StringComparison.Ordinal);
        Assert.Contains(((YamlSequenceNode)lb["ports"]).Children, p => p.ToString().EndsWith(":80", StringComparison.Ordinal));
    }

    private static void AssertPointsAt(string endpoint, string service)
    {
        var uri = new Uri(endpoint);
        Assert.Equal(service, uri.Host);
        Assert.True(Services.Children.ContainsKey(service), $"no service '{service}'");
        Assert.EndsWith("/v1", uri.AbsolutePath, StringComparison.Ordinal);
    }

    // A service with its "<<" merge key applied: the anchored mapping's entries, then the service's own.
    private static YamlMappingNode Service(string name)
    {
        var service = (YamlMappingNode)Services[name];
        if (!service.Children.TryGetValue("<<", out var merged))
        {
            return service;
        }
        var result = new YamlMappingNode();
        foreach (var (key, value) in ((YamlMappingNode)merged).Children.Concat(service.Children.Where(c => c.Key.ToString() != "<<")))
        {
            result.Children[key] = value;
        }
        return result;
    }

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, "compose.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }
}
