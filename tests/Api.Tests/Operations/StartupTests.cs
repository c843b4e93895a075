using System.Diagnostics;
using Rag.TestSupport;

namespace Rag.Api.Tests.Operations;

/// <summary>The service as a process: a configuration it cannot run with stops it with a message saying what to fix.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task A_missing_model_folder_stops_the_service_naming_the_setting()
    {
        var (exitCode, output) = await RunAsync(new()
        {
            ["ConnectionStrings__Postgres"] = PostgresServer.ConnectionString,
            ["Llm__ModelPath"] = "/nonexistent/llm",
            ["Embedding__ModelPath"] = ForgedModels.Encoder(lexical: true),
        });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Llm:ModelPath '/nonexistent/llm' does not exist", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Embedding", "embedding model", false)]
    [InlineData("Llm", "LLM", false)]
    [InlineData("Reranker", "reranker", false)]
    [InlineData("Reranker", "reranker", true)]
    public async Task A_model_whose_graph_is_not_onnx_stops_the_service_naming_the_setting_without_a_stack_trace(string section, string what, bool remoteEmbedder)
    {
        var folder = Directory.CreateTempSubdirectory("rag-broken-model-");
        // An embedding server the service can start on, for the case where only the cross-encoder is local, with a
        // database of its own for that server's vectors.
        await using var embeddingServer = remoteEmbedder ? await Remote.FaultyModelServer.StartAsync() : null;
        await using var remoteDatabase = remoteEmbedder ? new PostgresDatabase() : null;
        try
        {
            var source = section switch
            {
                "Llm" => ForgedModels.Decoder(),
                "Reranker" => ForgedModels.CrossEncoder(),
                _ => ForgedModels.Encoder(lexical: true),
            };
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(folder.FullName, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            // What a failed download often leaves behind: an error page saved under the model's name.
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "onnx", "model.onnx"), "<html>Bad gateway</html>");

            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = PostgresServer.ConnectionString,
                ["Llm__ModelPath"] = section == "Llm" ? folder.FullName : ForgedModels.Decoder(),
                ["Embedding__ModelPath"] = section == "Embedding" ? folder.FullName : ForgedModels.Encoder(lexical: true),
            };
            if (section == "Reranker")
            {
                environment["Reranker__ModelPath"] = folder.FullName;
            }
            if (remoteEmbedder)
            {
                // The cross-encoder stays local beside a remote embedder, and its folder is checked the same way.
                environment.Remove("Embedding__ModelPath");
                environment["Embedding__Endpoint"] = embeddingServer!.Endpoint.ToString();
                environment["ConnectionStrings__Postgres"] = remoteDatabase!.ConnectionString;
                environment["Embedding__Model"] = "remote-embedder";
            }
            var (exitCode, output) = await RunAsync(environment);

            Assert.NotEqual(0, exitCode);
            Assert.Contains($"The {what} in {section}:ModelPath '{folder.FullName}' could not be loaded", output, StringComparison.Ordinal);
            Assert.Contains("onnx/model.onnx", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_connection_string_stops_the_service_saying_how_to_set_it()
    {
        var (exitCode, output) = await RunAsync(new()
        {
            ["Llm__ModelPath"] = ForgedModels.Decoder(),
            ["Embedding__ModelPath"] = ForgedModels.Encoder(lexical: true),
        });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("ConnectionStrings__Postgres", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_stops_the_service_saying_where_it_looked()
    {
        var (exitCode, output) = await RunAsync(new()
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Database=rag;Username=rag;Password=rag;Timeout=3",
            ["Llm__ModelPath"] = ForgedModels.Decoder(),
            ["Embedding__ModelPath"] = ForgedModels.Encoder(lexical: true),
        });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:1", output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Postgres", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> environment)
    {
        // The service's own build output, next to this test assembly's configuration (Debug or Release).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var service = Path.Combine(RepositoryRoot.Path, "src", "Api", "bin", configuration, "net10.0", "Rag.Api.dll");
        var start = new ProcessStartInfo("dotnet", [service, "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = Path.GetDirectoryName(service)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
