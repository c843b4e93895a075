using Microsoft.Extensions.Options;
using Rag.Api.Auth;
using Rag.Api.Endpoints;
using Rag.Api.Hosting;
using Rag.Api.Mcp;
using Rag.Api.Observability;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddApiDefaults();
builder.AddRagServices();

var app = builder.Build();
app.UseApiDefaults();

app.MapHealthEndpoints();
app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(MetricsAccess.PolicyName);
app.MapOpenApi();
app.MapScalarApiReference();

var v1 = app.MapGroup("/v1").RequireAuthorization();
v1.MapOpenAiEndpoints();
v1.MapModelsEndpoints();
v1.MapCollectionsEndpoints();
var collection = v1.MapGroup("/collections/{collection}").AddEndpointFilter<CollectionRouteFilter>();
collection.MapDocumentsEndpoints();
collection.MapSearchEndpoints();
collection.MapAskEndpoints();
app.MapRagMcp();

try
{
    app.Run();
    return 0;
}
catch (Exception ex)
{
    // A configuration problem needs its message, not a stack trace; anything else keeps its trace.
    app.Logger.LogCritical(ex is StartupException or OptionsValidationException ? null : ex, "The service could not start: {Reason}", ex.Message);
    return 1;
}

public partial class Program;
