using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using Rag.Api.Auth;
using Rag.Api.Contracts.Text;
using Rag.Api.Errors;
using Rag.Api.Observability;

namespace Rag.Api.Hosting;

/// <summary>The HTTP surface's cross-cutting services: options, errors, auth, limits, OpenAPI, metrics, health.</summary>
public static class ApiHostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        ListenOnLoopbackUnlessTold(builder);

        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddHostedService<OpenAccessWarning>();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            // Every string a client sends is checked as it is read: NUL or a lone surrogate is a 400 naming the field.
            o.SerializerOptions.Converters.Add(new StrictStringConverter());
            o.SerializerOptions.Converters.Add(new StrictJsonElementConverter());
        });
        // Binding failures (bad JSON, wrong content type) throw, so ProblemExceptionHandler can say what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddValidation();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(MetricsAccess.AddPolicy);

        // Read from configuration rather than the validated options: the server is built before validation runs,
        // and a configuration error must reach the log as a message, not as a crash while building the server.
        builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.Limits.MaxRequestBodySize = MaxUploadBytes(context.Configuration));
        services.AddOptions<FormOptions>().Configure<IConfiguration>((form, configuration) => form.MultipartBodyLengthLimit = MaxUploadBytes(configuration));
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ApiOptions>>((t, api) => t.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = TimeSpan.FromSeconds(api.Value.RequestTimeoutSeconds),
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        });

        services.AddOpenApi();
        services.AddSingleton<ApiMetrics>();
        builder.AddTelemetry();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ModelsHealthCheck>("models", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RejectFlawedQueryText);
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        return app;
    }

    // The query arrives percent-decoded ("%00" is a NUL): checked before any endpoint reads it (Kestrel itself refuses
    // a NUL in the path). JSON bodies are checked by StrictStringConverter, multipart forms by UploadReader.
    private static Task RejectFlawedQueryText(HttpContext context, RequestDelegate next)
    {
        string? problem = null;
        foreach (var (key, values) in context.Request.Query)
        {
            if (problem is not null)
            {
                break;
            }
            var flaw = TextRules.Flaw(key);
            foreach (var value in values)
            {
                flaw ??= TextRules.Flaw(value);
            }
            problem = flaw is null ? null : TextRules.Describe($"Query parameter '{key}'", flaw);
        }
        return problem is null ? next(context) : Problems.BadRequest(problem, "Invalid text").ExecuteAsync(context);
    }

    private static long MaxUploadBytes(IConfiguration configuration) =>
        configuration.GetSection(ApiOptions.SectionName).GetValue(nameof(ApiOptions.MaxUploadBytes), ApiOptions.DefaultMaxUploadBytes);

    // Open by default means reachable only from this machine by default: exposing it is a deliberate --urls.
    private static void ListenOnLoopbackUnlessTold(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(configuration[WebHostDefaults.HttpPortsKey])
            && string.IsNullOrEmpty(configuration[WebHostDefaults.HttpsPortsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }
}
