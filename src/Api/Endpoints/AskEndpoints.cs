namespace Rag.Api.Endpoints;

public static class AskEndpoints
{
    public static RouteGroupBuilder MapAskEndpoints(this RouteGroupBuilder v1)
    {
        return v1;
    }
}
