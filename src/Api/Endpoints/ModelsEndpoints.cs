using Microsoft.AspNetCore.Http.HttpResults;
using Rag.Api.Contracts.OpenAi;
using Rag.Api.Endpoints.OpenAi;
using Rag.Api.Errors;
using Rag.Api.Hosting;

namespace Rag.Api.Endpoints;

public static class ModelsEndpoints
{
    public static RouteGroupBuilder MapModelsEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var models = v1.MapGroup("/models").WithTags("Models");
        models.MapGet("/", List).WithName("ListModels").WithSummary("The loaded models by short id, with their full id and weights hash.");
        models.MapGet("/{**model}", Get).WithName("GetModel").WithSummary("One loaded model by short or full id.");
        return v1;
    }

    public static Ok<ModelListResponse> List(LoadedModels loaded) => TypedResults.Ok(new ModelListResponse([.. loaded.All.Select(ModelNames.Listed)]));

    public static Results<Ok<ModelDto>, ProblemHttpResult> Get(string model, LoadedModels loaded) =>
        loaded.All.FirstOrDefault(m => ModelNames.Matches(model, m.Id)) is { } found
            ? TypedResults.Ok(ModelNames.Listed(found))
            : Problems.ModelNotFound(model);
}
