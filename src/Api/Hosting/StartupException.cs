namespace Rag.Api.Hosting;

/// <summary>The service cannot start; the message says what to fix. Program prints it without a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
