using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rag.Eval.Client;

// The slices of the service's JSON that the evaluation reads (snake_case on the wire).

internal sealed record ModelListWire(IReadOnlyList<ModelWire> Data);

internal sealed record ModelWire(string Id, string Kind, bool Demo);

internal sealed record SearchWire(IReadOnlyList<HitWire> Hits, double EmbedMs, double SearchMs, double? RerankMs);

internal sealed record HitWire(Guid DocumentId, string DocumentName, double Score);

internal sealed record AskWire(string Answer, IReadOnlyList<CitationWire> Citations, AskTimingsWire Timings, bool Abstained);

internal sealed record CitationWire(int Number, Guid DocumentId, string DocumentName);

internal sealed record AskTimingsWire(double EmbedMs, double SearchMs, double? TimeToFirstTokenMs, double? TokensPerSecond, double TotalMs);

internal static class RagJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };
}
