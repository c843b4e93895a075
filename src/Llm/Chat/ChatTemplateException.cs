namespace Rag.Llm.Chat;

/// <summary>A chat template that does not parse, fails while rendering, or calls <c>raise_exception</c>.</summary>
public sealed class ChatTemplateException : Exception
{
    public ChatTemplateException()
    {
    }

    public ChatTemplateException(string message)
        : base(message)
    {
    }

    public ChatTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
