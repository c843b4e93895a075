using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using Rag.Embedding;
using Rag.Embedding.Reranking;
using Rag.Llm;
using Rag.Llm.Serving;
using Rag.ModelForge.Decoder;
using Rag.TestSupport;

namespace Rag.Api.Tests.Scripts;

/// <summary>
/// Runs the real scripts/fetch-models.sh with curl against <see cref="LoopbackHub"/> serving forged sentence-transformers
/// and Llama folders, into a temporary RAG_MODELS_DIR (never the checkout's .data/models).
/// </summary>
public sealed class FetchModelsScriptTests : IAsyncLifetime
{
    private const string EncoderRepo = "forge/tiny-encoder";
    private const string DecoderRepo = "forge/tiny-decoder";
    private const string OtherDecoderRepo = "forge/other-decoder";
    private const string VariantEncoderRepo = "forge/variant-encoder";
    private const string VariantDecoderRepo = "forge/variant-decoder";
    private const string RerankerRepo = "forge/cross-encoder";
    private static readonly string[] ModelFolders = ["embedding", "llm"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"rag-fetch-{Guid.NewGuid():N}");
    private string _encoder = null!;
    private string _decoder = null!;
    private string _otherDecoder = null!;
    private LoopbackHub _hub = null!;

    private string Models => Path.Combine(_root, "models");

    public async Task InitializeAsync()
    {
        // Copies, so a test may take files away; the decoder keeps its weights in onnx/model.onnx_data as large exports do.
        _encoder = Copy(ForgedModels.Encoder(), Path.Combine(_root, "hub", "encoder"));
        _decoder = Copy(ForgedModels.Decoder(new DecoderOptions(ForceExternalData: true)), Path.Combine(_root, "hub", "decoder"));
        _otherDecoder = ForgedModels.Decoder(seed: 2);
        // Repos offering variants, like onnx-community's: the model.onnx beside the variant is another model's graph.
        var variantEncoder = Copy(ForgedModels.Encoder(), Path.Combine(_root, "hub", "variant-encoder"));
        File.Move(Path.Combine(variantEncoder, "onnx", "model.onnx"), Path.Combine(variantEncoder, "onnx", "model_qint8_avx512.onnx"));
        File.Copy(Path.Combine(ForgedModels.Encoder(seed: 2), "onnx", "model.onnx"), Path.Combine(variantEncoder, "onnx", "model.onnx"));
        var variantDecoder = Copy(ForgedModels.Decoder(), Path.Combine(_root, "hub", "variant-decoder"));
        File.Move(Path.Combine(variantDecoder, "onnx", "model.onnx"), Path.Combine(variantDecoder, "onnx", "model_q4.onnx"));
        File.Copy(Path.Combine(_otherDecoder, "onnx", "model.onnx"), Path.Combine(variantDecoder, "onnx", "model.onnx"));
        Directory.CreateDirectory(Path.Combine(_root, "hf-home"));
        _hub = await LoopbackHub.StartAsync(new Dictionary<string, string>
        {
            [EncoderRepo] = _encoder,
            [DecoderRepo] = _decoder,
            [OtherDecoderRepo] = _otherDecoder,
            [VariantEncoderRepo] = variantEncoder,
            [VariantDecoderRepo] = variantDecoder,
            [RerankerRepo] = ForgedModels.CrossEncoder(),
        });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Fetched_models_are_the_hub_files_and_load_with_the_real_loaders()
    {
        var run = await RunAsync();

        Assert.True(run.ExitCode == 0, run.Output);
        AssertSameFiles(_encoder, Path.Combine(Models, "embedding"));
        AssertSameFiles(_decoder, Path.Combine(Models, "llm"));
        Assert.Equal(ModelFolders, Entries(Models));
        Assert.All(_hub.Requests, request => Assert.Equal("", request.Authorization));
        // Every file from the commit the model page named, so that a push during the download cannot mix two snapshots.
        Assert.All(Downloads(), request => Assert.Matches(
            $"^/({EncoderRepo}/resolve/{LoopbackHub.Commit(EncoderRepo)}|{DecoderRepo}/resolve/{LoopbackHub.Commit(DecoderRepo)})/", request.Path));

        Assert.Equal(await EmbedAsync(_encoder), await EmbedAsync(Path.Combine(Models, "embedding")));
        var (text, tokens) = await GenerateAsync(Path.Combine(Models, "llm"));
        Assert.InRange(tokens, 1, 4);
        Assert.Equal((await GenerateAsync(_decoder)).Text, text);
    }

    [Fact]
    public async Task A_chosen_variant_is_the_only_graph_fetched_and_the_loaders_pick_it()
    {
        var run = await RunAsync(
            ("RAG_EMBEDDING_REPO", VariantEncoderRepo), ("RAG_EMBEDDING_ONNX_FILE", "onnx/model_qint8_avx512.onnx"),
            ("RAG_LLM_REPO", VariantDecoderRepo), ("RAG_LLM_ONNX_FILE", "onnx/model_q4.onnx"));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["onnx/model_qint8_avx512.onnx"], Graphs(Path.Combine(Models, "embedding")));
        Assert.Equal(["onnx/model_q4.onnx"], Graphs(Path.Combine(Models, "llm")));
        Assert.Equal(await EmbedAsync(ForgedModels.Encoder()), await EmbedAsync(Path.Combine(Models, "embedding")));
        Assert.Equal((await GenerateAsync(ForgedModels.Decoder())).Text, (await GenerateAsync(Path.Combine(Models, "llm"))).Text);
    }

    [Fact]
    public async Task A_reranker_is_fetched_beside_the_two_models_when_asked_for_and_loads()
    {
        var run = await RunAsync(("RAG_RERANKER_REPO", RerankerRepo));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["embedding", "llm", "reranker"], Entries(Models));
        AssertSameFiles(ForgedModels.CrossEncoder(), Path.Combine(Models, "reranker"));
        using var fetched = OnnxReranker.Load(new RerankerOptions { ModelPath = Path.Combine(Models, "reranker") });
        using var source = OnnxReranker.Load(new RerankerOptions { ModelPath = ForgedModels.CrossEncoder() });
        string[] passages = ["roses grow in the garden", "the river runs to the sea"];
        Assert.Equal(await source.ScoreAsync("garden roses", passages, default), await fetched.ScoreAsync("garden roses", passages, default));
    }

    [Fact]
    public async Task Without_a_commit_on_the_model_page_files_come_from_main()
    {
        _hub.HideCommit(DecoderRepo);

        var run = await RunAsync();

        Assert.True(run.ExitCode == 0, run.Output);
        AssertSameFiles(_decoder, Path.Combine(Models, "llm"));
        Assert.Contains(Downloads(), request => request.Path == $"/{DecoderRepo}/resolve/main/onnx/model.onnx");
    }

    [Fact]
    public async Task Hf_token_is_sent_as_a_bearer_header_on_every_request()
    {
        var run = await RunAsync(("HF_TOKEN", "hf_loopback"));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(Downloads(), request => request.Path.EndsWith("/onnx/model.onnx_data", StringComparison.Ordinal));
        Assert.All(_hub.Requests, request => Assert.Equal("Bearer hf_loopback", request.Authorization));
    }

    [Fact]
    public async Task Without_hf_token_the_token_saved_by_huggingface_cli_login_is_sent()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "hf-home", "token"), "hf_saved\n");

        var run = await RunAsync();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.All(_hub.Requests, request => Assert.Equal("Bearer hf_saved", request.Authorization));
    }

    [Fact]
    public async Task An_encoder_with_vocab_txt_and_no_tokenizer_json_is_fetched_and_loads()
    {
        File.Delete(Path.Combine(_encoder, "tokenizer.json"));

        var run = await RunAsync();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.False(File.Exists(Path.Combine(Models, "embedding", "tokenizer.json")));
        Assert.Equal(await EmbedAsync(_encoder), await EmbedAsync(Path.Combine(Models, "embedding")));
    }

    [Fact]
    public async Task An_encoder_with_no_tokenizer_at_all_fails_and_says_so()
    {
        File.Delete(Path.Combine(_encoder, "tokenizer.json"));
        File.Delete(Path.Combine(_encoder, "vocab.txt"));
        var previous = PlacePreviousModels();

        var run = await RunAsync();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{EncoderRepo} has no tokenizer", run.Stderr, StringComparison.Ordinal);
        AssertUnchanged(previous);
    }

    [Theory]
    [InlineData("encoder", "1_Pooling/config.json")]
    [InlineData("encoder", "onnx/model.onnx")]
    [InlineData("decoder", "config.json")]
    [InlineData("decoder", "onnx/model.onnx_data")]
    public async Task A_missing_required_file_fails_naming_it_and_leaves_the_previous_models_untouched(string repo, string file)
    {
        File.Delete(Path.Combine(repo == "encoder" ? _encoder : _decoder, file));
        var previous = PlacePreviousModels();

        var run = await RunAsync();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{(repo == "encoder" ? EncoderRepo : DecoderRepo)} has no {file} (404)", run.Stderr, StringComparison.Ordinal);
        AssertUnchanged(previous);
    }

    [Fact]
    public async Task An_unknown_repo_fails_before_any_download()
    {
        var previous = PlacePreviousModels();

        var run = await RunAsync(("RAG_LLM_REPO", "forge/no-such-model"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("answered 404 for forge/no-such-model", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(Downloads());
        AssertUnchanged(previous);
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_saying_a_network_is_needed_and_changes_nothing()
    {
        var previous = PlacePreviousModels();

        var run = await RunAsync(("HF_ENDPOINT", $"http://127.0.0.1:{ClosedPort()}"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("fetching real models needs a network", run.Stderr, StringComparison.Ordinal);
        AssertUnchanged(previous);
    }

    [Fact]
    public async Task A_dropped_download_is_resumed_by_the_next_run()
    {
        _hub.CutFirstDownloadOf(DecoderRepo, "onnx/model.onnx_data");
        var previous = PlacePreviousModels();

        var first = await RunAsync();

        Assert.NotEqual(0, first.ExitCode);
        Assert.Contains("run the script again to resume", first.Stderr, StringComparison.Ordinal);
        Assert.Equal(previous.Keys.Order(), Directory.EnumerateFiles(Models, "*", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(Models, path).StartsWith('.')).Order());
        var part = new FileInfo(Path.Combine(Models, ".llm.partial", "onnx", "model.onnx_data.part")).Length;
        Assert.InRange(part, 1, new FileInfo(Path.Combine(_decoder, "onnx", "model.onnx_data")).Length - 1);
        var downloadsBefore = Downloads().Count;

        var second = await RunAsync();

        Assert.True(second.ExitCode == 0, second.Output);
        AssertSameFiles(_decoder, Path.Combine(Models, "llm"));
        AssertSameFiles(_encoder, Path.Combine(Models, "embedding"));
        Assert.Equal(ModelFolders, Entries(Models));
        var again = Downloads().Skip(downloadsBefore).ToList();
        var resumed = Assert.Single(again, request => request.Path.EndsWith("/onnx/model.onnx_data", StringComparison.Ordinal));
        Assert.Equal($"bytes={part}-", resumed.Range);
        Assert.DoesNotContain(again, request => request.Path.EndsWith("/onnx/model.onnx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interrupted_download_keeps_its_part_and_the_next_run_resumes_it()
    {
        var halfSent = _hub.StallFirstDownloadOf(DecoderRepo, "onnx/model.onnx_data");
        var previous = PlacePreviousModels();
        using var script = Start();
        await halfSent.WaitAsync(TimeSpan.FromMinutes(1));
        // Lets curl write what it was sent before Ctrl-C.
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        script.Interrupt();
        var first = await script.WaitAsync();

        Assert.True(first.ExitCode == 130, first.Output);
        var part = new FileInfo(Path.Combine(Models, ".llm.partial", "onnx", "model.onnx_data.part")).Length;
        Assert.True(part > 0);
        Assert.All(previous, file => Assert.Equal(file.Value, File.ReadAllText(file.Key)));
        var second = await RunAsync();
        Assert.True(second.ExitCode == 0, second.Output);
        AssertSameFiles(_decoder, Path.Combine(Models, "llm"));
        Assert.Contains(_hub.Requests, request => request.Range == $"bytes={part}-");
    }

    [Fact]
    public async Task A_gated_repo_without_a_token_fails_pointing_at_hf_token()
    {
        _hub.Gate(DecoderRepo);
        var previous = PlacePreviousModels();

        var run = await RunAsync();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"answered 401 for {DecoderRepo}/config.json", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("needs HF_TOKEN", run.Stderr, StringComparison.Ordinal);
        AssertUnchanged(previous);
    }

    [Fact]
    public async Task A_partial_download_of_another_repo_is_not_resumed()
    {
        _hub.CutFirstDownloadOf(DecoderRepo, "onnx/model.onnx_data");
        Assert.NotEqual(0, (await RunAsync()).ExitCode);

        var run = await RunAsync(("RAG_LLM_REPO", OtherDecoderRepo));

        Assert.True(run.ExitCode == 0, run.Output);
        AssertSameFiles(_otherDecoder, Path.Combine(Models, "llm"));
        Assert.Equal(ModelFolders, Entries(Models));
    }

    private List<HubRequest> Downloads() => [.. _hub.Requests.Where(request => request.Path.Contains("/resolve/", StringComparison.Ordinal))];

    private async Task<ScriptRun> RunAsync(params (string Name, string Value)[] overrides)
    {
        using var script = Start(overrides);
        return await script.WaitAsync();
    }

    private FetchModelsScript Start(params (string Name, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>
        {
            ["HF_ENDPOINT"] = _hub.Endpoint,
            ["HF_HOME"] = Path.Combine(_root, "hf-home"),
            ["RAG_MODELS_DIR"] = Models,
            ["RAG_EMBEDDING_REPO"] = EncoderRepo,
            ["RAG_LLM_REPO"] = DecoderRepo,
        };
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }
        return FetchModelsScript.Start(environment, _root);
    }

    /// <summary>Model folders from an earlier fetch, by path and content, for checking a failed run left them alone.</summary>
    private Dictionary<string, string> PlacePreviousModels()
    {
        var files = new Dictionary<string, string>
        {
            [Path.Combine(Models, "embedding", "onnx", "model.onnx")] = "previous encoder",
            [Path.Combine(Models, "llm", "onnx", "model.onnx")] = "previous decoder",
        };
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
        return files;
    }

    private void AssertUnchanged(Dictionary<string, string> previous)
    {
        var present = Directory.EnumerateFiles(Models, "*", SearchOption.AllDirectories).Order().ToList();
        Assert.Equal(previous.Keys.Order(), present);
        Assert.All(previous, file => Assert.Equal(file.Value, File.ReadAllText(file.Key)));
        Assert.Equal(ModelFolders, Entries(Models));
    }

    private static void AssertSameFiles(string expected, string actual)
    {
        var files = Relative(expected);
        Assert.Equal(files, Relative(actual));
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(Path.Combine(expected, file)), File.ReadAllBytes(Path.Combine(actual, file))));
    }

    private static List<string> Relative(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(folder, path)).Order()];

    private static List<string> Graphs(string folder) =>
        [.. Relative(folder).Where(file => file.EndsWith(".onnx", StringComparison.Ordinal)).Select(file => file.Replace('\\', '/'))];

    private static List<string> Entries(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Select(path => Path.GetFileName(path)).Order()];

    private static async Task<float[]> EmbedAsync(string folder)
    {
        using var generator = OnnxEmbeddingGenerator.Load(new EmbeddingOptions { ModelPath = folder });
        var embeddings = await generator.GenerateAsync(["the garden has red roses"]);
        return embeddings.Single().Vector.ToArray();
    }

    private static async Task<(string Text, long Tokens)> GenerateAsync(string folder)
    {
        using var metrics = new LlmMetrics();
        using var model = LlmModel.Load(new LlmOptions { ModelPath = folder }, metrics);
        using var chat = model.CreateChatClient();
        var response = await chat.GetResponseAsync("Which roses grow in the garden?", new ChatOptions { MaxOutputTokens = 4, Temperature = 0 });
        return (response.Text, response.Usage?.OutputTokenCount ?? 0);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Copy(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return destination;
    }
}
