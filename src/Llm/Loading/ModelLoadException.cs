namespace Rag.Llm.Loading;

/// <summary>A model folder or graph this engine cannot run; the message names the file or graph input at fault.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message) : base(message)
    {
    }

    public ModelLoadException(string message, Exception inner) : base(message, inner)
    {
    }
}
