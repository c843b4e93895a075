namespace Rag.Api.Endpoints;

public static class DocumentsEndpoints
{
    public static RouteGroupBuilder MapDocumentsEndpoints(this RouteGroupBuilder v1)
    {
        return v1;
    }
}
