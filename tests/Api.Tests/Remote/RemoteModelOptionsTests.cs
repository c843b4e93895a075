using Rag.Api.Hosting;

namespace Rag.Api.Tests.Remote;

public sealed class RemoteModelOptionsTests
{
    private readonly RemoteModelOptionsValidator validator = new();

    [Fact]
    public void A_complete_remote_model_is_valid()
    {
        var result = validator.Validate("Llm", new RemoteModelOptions { Endpoint = new Uri("http://vllm:8000/v1"), Model = "Qwen/Qwen2.5-7B-Instruct" });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Each_mistake_is_named_by_its_section_and_setting()
    {
        var result = validator.Validate("Embedding", new RemoteModelOptions
        {
            Endpoint = new Uri("tei:8080", UriKind.RelativeOrAbsolute),
            TokenizerPath = "/nonexistent/tokenizer.json",
            TimeoutSeconds = 0,
        });
        Assert.True(result.Failed);
        Assert.Contains("Embedding:Endpoint 'tei:8080' must be an absolute http or https URL", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Embedding:Model is required", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Embedding:TokenizerPath '/nonexistent/tokenizer.json'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Embedding:TimeoutSeconds", result.FailureMessage, StringComparison.Ordinal);
    }
}
