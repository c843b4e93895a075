using Rag.Api.Endpoints;
using Rag.Api.Hosting;
using Rag.Api.Observability;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddApiDefaults();
builder.AddRagServices();

var app = builder.Build();
app.UseApiDefaults();

app.MapHealthEndpoints();
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapOpenApi();
app.MapScalarApiReference();

var v1 = app.MapGroup("/v1").RequireAuthorization();
v1.MapDocumentsEndpoints();
v1.MapSearchEndpoints();
v1.MapAskEndpoints();
v1.MapOpenAiEndpoints();
v1.MapModelsEndpoints();

app.Run();

public partial class Program;
