namespace Rag.Api.Endpoints;

public static class ModelsEndpoints
{
    public static RouteGroupBuilder MapModelsEndpoints(this RouteGroupBuilder v1)
    {
        return v1;
    }
}
