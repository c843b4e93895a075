using Rag.Api.Contracts.Rag;
using Rag.Retrieval.Answering;

namespace Rag.Api.Endpoints.OpenAi;

/// <summary>
/// What a grounded chat answer adds to the OpenAI output, filled as the answer streams: the passages shown to the model
/// (known before its first word) and those the finished answer cites.
/// </summary>
internal sealed class Grounding
{
    public List<SourceDto> Sources { get; } = [];

    public IReadOnlyList<Citation> Citations { get; set; } = [];
}
