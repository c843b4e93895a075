using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol.Protocol;
using Rag.Api.Errors;

namespace Rag.Api.Mcp;

/// <summary>
/// Tool results: the text a model reads plus the same data as structured content; failures are tool errors
/// (<c>isError</c>) whose text is the problem detail the HTTP API would answer with.
/// </summary>
internal static class ToolResults
{
    public static CallToolResult Success<T>(T structured, string text, IEnumerable<ContentBlock>? links = null)
    {
        var result = new CallToolResult
        {
            StructuredContent = JsonSerializer.SerializeToElement(structured, McpJson.Options),
            Content = [new TextContentBlock { Text = text }],
        };
        foreach (var link in links ?? [])
        {
            result.Content.Add(link);
        }
        return result;
    }

    public static CallToolResult Error(int status, string title, string detail) => new()
    {
        IsError = true,
        StructuredContent = JsonSerializer.SerializeToElement(new ToolProblem(status, title, detail), McpJson.Options),
        Content = [new TextContentBlock { Text = detail }],
    };

    public static CallToolResult Error(ProblemHttpResult problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Error(problem.StatusCode, problem.ProblemDetails.Title ?? "", problem.ProblemDetails.Detail ?? "");
    }

    /// <summary>
    /// Runs a tool's body; what would be a problem+json response over HTTP becomes a tool error with the same title and
    /// detail. A client's cancellation stays a cancellation.
    /// </summary>
    public static async Task<CallToolResult> RunAsync(Func<Task<CallToolResult>> body, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var (status, title, detail) = ProblemExceptionHandler.Describe(ex);
            ProblemExceptionHandler.Log(logger, ex, status, "an MCP tool call");
            return Error(status, title, detail);
        }
    }
}

/// <summary>A failed tool call's structured content, the fields of the matching problem+json.</summary>
internal sealed record ToolProblem(int Status, string Title, string Detail);
