namespace Rag.Api.Endpoints;

public static class OpenAiEndpoints
{
    public static RouteGroupBuilder MapOpenAiEndpoints(this RouteGroupBuilder v1)
    {
        return v1;
    }
}
